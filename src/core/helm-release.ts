import type { SyncWaveValue } from './sync-wave';

/**
 * An OCI Helm chart an installer needs. Installers only describe their releases; whoever assembles the
 * app-of-apps turns each into an Argo CD Application, so no installer depends on the GitOps layer.
 */
export interface HelmRelease {
  /** Application name. */
  readonly name: string;
  /** Release namespace. */
  readonly namespace: string;
  /** Sync wave (see {@link SyncWave}). */
  readonly wave: SyncWaveValue;
  /** Registry path without `oci://` and without the chart, e.g. `ghcr.io/kagent-dev/kagent/helm`. */
  readonly registry: string;
  /** Chart name. */
  readonly chart: string;
  /** Exact chart version. */
  readonly version: string;
  /** Helm release name. */
  readonly releaseName: string;
  /**
   * Values.
   * @default {}
   */
  readonly values?: Record<string, unknown>;
  /**
   * Apply server-side (charts with CRDs over the 256 KiB annotation limit).
   * @default false
   */
  readonly serverSideApply?: boolean;
}

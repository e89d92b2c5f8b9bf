import { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { HelmRelease } from '../core/helm-release';
import { SyncWave } from '../core/sync-wave';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { isExactVersion } from '../core/image';
import { assertResources, toPlainResources, type ContainerResources } from '../core/resources';

export interface ToolHiveOperatorProps {
  /** The operator's namespace (the seed uses `toolhive-system`). */
  readonly namespace: NamespaceInput;
  /**
   * Chart version of both charts.
   * @default VERSIONS.toolhive
   */
  readonly version?: string;
  /**
   * RBAC scope: `cluster`, or `namespace` limited to `allowedNamespaces`.
   * @default 'cluster'
   */
  readonly rbacScope?: 'cluster' | 'namespace';
  /**
   * Namespaces the operator manages when `rbacScope` is `namespace`.
   * @default - the operator's namespace
   */
  readonly allowedNamespaces?: readonly string[];
  /**
   * Operator resources.
   * @default - 50m / 64Mi requested, 256Mi memory limit
   */
  readonly resources?: ContainerResources;
}

const REGISTRY = 'ghcr.io/stacklok/toolhive';

/** The ToolHive operator and its CRDs from the pinned OCI charts, as two Argo CD Applications. */
export class ToolHiveOperator extends Construct {
  public readonly version: string;
  public readonly namespace: string;
  /** The charts to install (CRDs first); the app-of-apps turns each into an Application. */
  public readonly helmReleases: readonly HelmRelease[];

  constructor(scope: Construct, id: string, props: ToolHiveOperatorProps) {
    super(scope, id);
    this.version = props.version ?? VERSIONS.toolhive;
    if (!isExactVersion(this.version)) {
      throw new Error(`${this.node.path}: version "${this.version}" must be an exact chart version such as "0.44.0"`);
    }
    this.namespace = namespaceName(props.namespace);
    const scopeKind = props.rbacScope ?? 'cluster';
    if (scopeKind !== 'namespace' && props.allowedNamespaces) {
      throw new Error(`${this.node.path}: allowedNamespaces only applies with rbacScope "namespace"`);
    }
    const resources = props.resources ?? { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi' };
    assertResources(this, 'resources', resources);
    this.helmReleases = [
      {
        name: 'toolhive-operator-crds',
        namespace: this.namespace,
        wave: SyncWave.CRDS,
        registry: REGISTRY,
        chart: 'toolhive-operator-crds',
        version: this.version,
        releaseName: 'toolhive-operator-crds',
        serverSideApply: true,
        values: { crds: { install: true, keep: true } },
      },
      {
        name: 'toolhive-operator',
        namespace: this.namespace,
        wave: SyncWave.OPERATORS,
        registry: REGISTRY,
        chart: 'toolhive-operator',
        version: this.version,
        releaseName: 'toolhive-operator',
        values: {
          operator: {
            rbac: {
              scope: scopeKind,
              ...(scopeKind === 'namespace' ? { allowedNamespaces: [...(props.allowedNamespaces ?? [this.namespace])] } : {}),
            },
            resources: toPlainResources(resources),
            env: [{ name: 'TOOLHIVE_SKIP_UPDATE_CHECK', value: 'true' }],
          },
        },
      },
    ];
  }
}

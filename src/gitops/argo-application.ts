import type { HelmRelease } from '../core/helm-release';
import { Construct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { isExactVersion } from '../core/image';
import { assertDnsLabel } from '../core/names';
import type { ArgoProject } from './argo-project';
import type { GitSource } from './git-source';
import { SYNC_WAVE_ANNOTATION, SyncWave, type SyncWaveValue } from '../core/sync-wave';
import { brand, isBranded } from '../core/brand';

/** A folder of `dist/` in Git. */
export interface DirectorySource {
  /** The repository holding `dist/`. */
  readonly git: GitSource;
  /** Folder inside `dist/`. */
  readonly folder: string;
}

/** A Helm chart published as an OCI artifact. */
/** Where an Application's Helm chart comes from, and its values. */
export type OciHelmSource = Pick<HelmRelease, 'registry' | 'chart' | 'version' | 'releaseName' | 'values'>;

export interface ArgoApplicationProps {
  /** Application name. */
  readonly name: string;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** Project the application belongs to. */
  readonly project: ArgoProject;
  /** Default destination namespace. */
  readonly namespace: string;
  /**
   * API server the application deploys to.
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;
  /** Namespaces the application writes into besides `namespace`. */
  readonly extraNamespaces?: readonly string[];
  /** Sync wave in the app-of-apps. */
  readonly wave: SyncWaveValue;
  /**
   * A `dist/` folder as the source; give exactly one of `directory` and `helm`.
   * @default - none
   */
  readonly directory?: DirectorySource;
  /**
   * An OCI Helm chart as the source; give exactly one of `directory` and `helm`.
   * @default - none
   */
  readonly helm?: OciHelmSource;
  /**
   * Apply server-side; needed when an object (a large CRD) exceeds the 256 KiB last-applied annotation.
   * @default false
   */
  readonly serverSideApply?: boolean;
  /**
   * Holds custom resources whose CRD is installed by another application.
   * @default false
   */
  readonly customResources?: boolean;
  /**
   * Delete the application's resources when the Application is deleted (the resources finalizer). Off for
   * what must outlive an accidental delete: namespaces (with the volumes in them) and CRDs (with every
   * custom resource of their kinds).
   * @default - true, except for the CRD wave
   */
  readonly cascadeDelete?: boolean;
}

/**
 * A child Application with the platform's sync policy: automated prune and self-heal, retry with backoff,
 * the cascade-delete finalizer (except for namespaces and CRDs), and never `CreateNamespace` (namespaces come with their Pod Security labels
 * from the namespaces application).
 */
export class ArgoApplication extends Construct {
  /** Returns true if `x` is an ArgoApplication. */
  public static isArgoApplication(x: unknown): x is ArgoApplication {
    return isBranded(x, 'ArgoApplication');
  }

  public readonly name: string;
  public readonly wave: SyncWaveValue;
  /** The `dist/` folder for directory applications. */
  public readonly folder?: string;
  /** The chart for Helm applications. */
  public readonly helm?: OciHelmSource;
  public readonly resource: argo.Application;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    brand(this, 'ArgoApplication');
    assertDnsLabel(this, 'name', props.name);
    if (Boolean(props.directory) === Boolean(props.helm)) {
      throw new Error(`${this.node.path}: give exactly one of directory or helm as the source`);
    }
    if (props.helm && !isExactVersion(props.helm.version)) {
      throw new Error(`${this.node.path}: chart ${props.helm.chart} version "${props.helm.version}" must be exact (e.g. "0.7.23"), not a range or "latest"`);
    }
    this.name = props.name;
    this.wave = props.wave;
    this.folder = props.directory?.folder;
    this.helm = props.helm;
    for (const namespace of [props.namespace, ...(props.extraNamespaces ?? [])]) props.project.allowNamespace(namespace);
    const source = props.directory ? directorySource(props.directory) : ociSource(props.helm!);
    props.project.allowSource(source.repoUrl);
    const syncOptions = [
      'PruneLast=true',
      ...(props.serverSideApply ? ['ServerSideApply=true'] : []),
      ...(props.customResources ? ['SkipDryRunOnMissingResource=true'] : []),
    ];
    this.resource = new argo.Application(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.argocdNamespace,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(this.wave) },
        finalizers: (props.cascadeDelete ?? props.wave !== SyncWave.CRDS) ? ['resources-finalizer.argocd.argoproj.io'] : undefined,
      },
      spec: {
        project: props.project.name,
        source,
        destination: { server: props.destinationServer ?? 'https://kubernetes.default.svc', namespace: props.namespace },
        syncPolicy: {
          automated: { enabled: true, prune: true, selfHeal: true, allowEmpty: false },
          syncOptions,
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
        revisionHistoryLimit: 10,
      },
    });
  }
}

function directorySource(directory: DirectorySource): argo.ApplicationSpecSource {
  const base = directory.git.basePath.replace(/\/+$/, '');
  return {
    repoUrl: directory.git.repoUrl,
    targetRevision: directory.git.targetRevision,
    path: `${base}/${directory.folder}`,
    directory: { recurse: false, include: '*.yaml' },
  };
}

/** Argo CD ≥ 3.1 native OCI source: `oci://<registry>/<chart>`, path `.`, no repository Secret needed. */
function ociSource(helm: OciHelmSource): argo.ApplicationSpecSource {
  return {
    repoUrl: `oci://${helm.registry}/${helm.chart}`,
    targetRevision: helm.version,
    path: '.',
    helm: { releaseName: helm.releaseName, valuesObject: helm.values ?? {} },
  };
}

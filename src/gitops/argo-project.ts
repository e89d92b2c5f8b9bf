import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { assertDnsLabel } from '../core/names';
import { SYNC_WAVE_ANNOTATION, SyncWave } from '../core/sync-wave';

/** A Kubernetes kind, as Argo CD's resource allow-lists name it. */
export interface ArgoGroupKind {
  /** API group (`''` for the core group). */
  readonly group: string;
  readonly kind: string;
}

/** Charts install CRDs, cluster roles and webhooks; namespaces come from the platform itself. */
const PLATFORM_CLUSTER_KINDS: readonly ArgoGroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' },
  { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' },
];

export interface ArgoProjectProps {
  /** AppProject name. */
  readonly name: string;
  /** Argo CD's namespace. */
  readonly argocdNamespace: string;
  /** What the project is for. */
  readonly description: string;
  /**
   * Cluster-scoped kinds its applications may manage; `[]` allows none.
   * @default - what the platform's charts install: Namespaces, CRDs, ClusterRoles and their bindings, webhooks
   */
  readonly clusterResourceWhitelist?: readonly ArgoGroupKind[];
  /**
   * Namespaced kinds its applications may manage.
   * @default - every kind
   */
  readonly namespaceResourceWhitelist?: readonly ArgoGroupKind[];
  /**
   * API server its applications may deploy to.
   * @default 'https://kubernetes.default.svc'
   */
  readonly destinationServer?: string;
}

/**
 * An AppProject limited to the platform: its source repositories and destination namespaces are collected
 * from the applications that use it, so nothing outside the platform can be deployed through it.
 */
export class ArgoProject extends Construct {
  public readonly name: string;
  private readonly sourceRepos = new Set<string>();
  private readonly namespaces = new Set<string>();
  private readonly scopes: Construct[] = [];

  constructor(scope: Construct, id: string, props: ArgoProjectProps) {
    super(scope, id);
    assertDnsLabel(this, 'name', props.name);
    this.name = props.name;
    new argo.AppProject(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: props.argocdNamespace,
        annotations: { [SYNC_WAVE_ANNOTATION]: String(SyncWave.PROJECT) },
        // Keeps the project until every Application in it is gone.
        finalizers: ['resources-finalizer.argocd.argoproj.io'],
      },
      spec: {
        description: props.description,
        sourceRepos: Lazy.any({ produce: () => [...this.sourceRepos].sort() }),
        destinations: Lazy.any({
          produce: () => this.destinationNamespaces().map((namespace) => ({ server: props.destinationServer ?? 'https://kubernetes.default.svc', namespace })),
        }),
        clusterResourceWhitelist:
          props.clusterResourceWhitelist && props.clusterResourceWhitelist.length === 0
            ? undefined
            : [...(props.clusterResourceWhitelist ?? PLATFORM_CLUSTER_KINDS)],
        namespaceResourceWhitelist: props.namespaceResourceWhitelist ? [...props.namespaceResourceWhitelist] : undefined,
        orphanedResources: { warn: true },
      },
    });
  }

  /** Allows a source repository (or OCI chart URL). */
  public allowSource(repoUrl: string): void {
    this.sourceRepos.add(repoUrl);
  }

  /** Allows deploying into every namespace the objects under `scope` use, as they are at synth time. */
  public allowNamespacesOf(scope: Construct): void {
    this.scopes.push(scope);
  }

  /** The namespaces applications of this project may write to. */
  public destinationNamespaces(): string[] {
    const found = new Set(this.namespaces);
    for (const scope of this.scopes) {
      for (const child of scope.node.findAll()) {
        if (child instanceof ApiObject && child.metadata.namespace) found.add(child.metadata.namespace);
      }
    }
    return [...found].sort();
  }

  /** Allows deploying into a namespace. */
  public allowNamespace(namespace: string): void {
    this.namespaces.add(namespace);
  }
}

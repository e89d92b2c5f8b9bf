import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { assertDnsLabel, isDnsLabel } from '../core/names';
import { IN_CLUSTER } from './app-of-apps';
import type { GitSource } from './git-source';

/** One generated Application: a cluster and the folder of its Applications. */
export interface ApplicationSetElement {
  /** Cluster name (DNS-1123 label); the generated Application is `<name>-<suffix>`. */
  readonly name: string;
  /** The cluster's API server as registered in Argo CD; recorded on the Application (its children deploy there). */
  readonly server: string;
  /** Folder of the cluster's Applications inside the repository, e.g. `dist/clusters/lab/argocd`. */
  readonly path: string;
}

export interface ApplicationSetProps {
  /** ApplicationSet name. */
  readonly name: string;
  /** The repository holding the tree. */
  readonly git: GitSource;
  /** One element per cluster (the list generator). */
  readonly elements: readonly ApplicationSetElement[];
  /**
   * Argo CD's namespace on the hub: the ApplicationSet and the generated Applications live there.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
  /**
   * Suffix of every generated Application's name (`<cluster>-<suffix>`).
   * @default 'agent-platform'
   */
  readonly applicationSuffix?: string;
  /**
   * Project of the generated Applications; they create each cluster's own AppProject, so they cannot be in it.
   * @default 'default'
   */
  readonly project?: string;
}

/**
 * The ApplicationSet as Argo CD's CRD names its fields. Written as a plain ApiObject: the generated binding of
 * this one CRD was 77,000 lines, and the pinned schema checks the object at synth time anyway.
 */
const APPLICATION_SET = { apiVersion: 'argoproj.io/v1alpha1', kind: 'ApplicationSet' } as const;

/**
 * An Argo CD ApplicationSet on the hub whose list generator has one element per cluster: each generated
 * Application is that cluster's root, syncing the cluster's Applications folder (non-recursive, `*.yaml`)
 * into the hub's Argo CD namespace, where the children then deploy to the cluster's API server.
 */
export class ApplicationSet extends Construct {
  public readonly name: string;
  public readonly argocdNamespace: string;
  public readonly elements: readonly ApplicationSetElement[];
  /** Name of the Application generated for each element, in element order. */
  public readonly applicationNames: readonly string[];
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ApplicationSetProps) {
    super(scope, id);
    assertDnsLabel(this, 'name', props.name);
    this.name = props.name;
    this.argocdNamespace = props.argocdNamespace ?? 'argocd';
    const suffix = props.applicationSuffix ?? 'agent-platform';
    this.elements = props.elements.map((element) => ({ ...element }));
    validateElements(this, this.elements, suffix);
    this.applicationNames = this.elements.map((e) => `${e.name}-${suffix}`);
    this.resource = new ApiObject(this, 'Resource', {
      ...APPLICATION_SET,
      metadata: { name: this.name, namespace: this.argocdNamespace },
      spec: {
        goTemplate: true,
        // A missing key is an error, never an empty path that would sync the repository root.
        goTemplateOptions: ['missingkey=error'],
        generators: [{ list: { elements: this.elements.map((e) => ({ name: e.name, server: e.server, path: e.path })) } }],
        // Deleting the ApplicationSet must not delete what the clusters run.
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: {
            name: `{{.name}}-${suffix}`,
            labels: { 'platform.agents/cluster': '{{.name}}' },
            annotations: { 'platform.agents/cluster-server': '{{.server}}' },
          },
          spec: {
            project: props.project ?? 'default',
            source: {
              repoURL: props.git.repoUrl,
              targetRevision: props.git.targetRevision,
              path: '{{.path}}',
              directory: { recurse: false, include: '*.yaml' },
            },
            destination: { server: IN_CLUSTER, namespace: this.argocdNamespace },
            syncPolicy: {
              automated: { enabled: true, prune: true, selfHeal: true, allowEmpty: false },
              retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
            },
          },
        },
      },
    });
  }
}

function validateElements(scope: Construct, elements: readonly ApplicationSetElement[], suffix: string): void {
  if (elements.length === 0) throw new Error(`${scope.node.path}: elements is empty; list at least one cluster`);
  const seen = new Set<string>();
  for (const element of elements) {
    if (!isDnsLabel(element.name) || !isDnsLabel(`${element.name}-${suffix}`)) {
      throw new Error(
        `${scope.node.path}: cluster name "${element.name}" must be a DNS-1123 label short enough for "${element.name}-${suffix}" (63 characters)`,
      );
    }
    if (seen.has(element.name)) throw new Error(`${scope.node.path}: cluster "${element.name}" is listed twice; every cluster needs its own name`);
    seen.add(element.name);
    if (!/^https:\/\/\S+$/.test(element.server)) {
      throw new Error(`${scope.node.path}: cluster "${element.name}" server "${element.server}" must be the https:// API server URL registered in Argo CD`);
    }
    if (!element.path || element.path.startsWith('/') || element.path.split('/').some((part) => part === '' || part === '..')) {
      throw new Error(
        `${scope.node.path}: cluster "${element.name}" path "${element.path}" must be a relative folder of the repository, e.g. "dist/clusters/${element.name}/argocd"`,
      );
    }
  }
}

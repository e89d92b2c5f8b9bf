import type { KubeClient, KubeObject } from './kube-client';

/** One Argo CD Application's objects, in the order Argo CD would sync them. */
export interface SyncedApplication {
  /** The Application's name (the root app syncs the Applications themselves). */
  readonly name: string;
  /** `argocd.argoproj.io/sync-wave` of the Application. */
  readonly wave: number;
  /** Where each object came from, for messages (a dist file, or `helm:<chart>@<version>`). */
  readonly objects: ReadonlyArray<{ readonly object: KubeObject; readonly source: string }>;
}

/** The server's verdict on one object. */
export interface ObjectVerdict {
  readonly application: string;
  readonly source: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly accepted: boolean;
  /** The server's own message when it refused the object. */
  readonly message?: string;
  readonly warnings: readonly string[];
}

/**
 * Kinds in the order Argo CD applies them within one wave (gitops-engine's `kubeResourceKindOrder`, which follows
 * Helm's install order); every other kind comes after these, by name.
 */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

const WAVE = 'argocd.argoproj.io/sync-wave';
const HOOK = 'argocd.argoproj.io/hook';

/** Argo CD's order for one Application: resource wave, then kind, then name; PostSync hooks after the sync. */
export function syncOrder<T extends { readonly object: KubeObject }>(objects: readonly T[]): T[] {
  const key = (object: KubeObject) => {
    const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
    const kind = KIND_ORDER.indexOf(String(object.kind));
    return [
      annotations[HOOK] === 'PostSync' ? 1 : 0,
      Number(annotations[WAVE] ?? 0),
      kind === -1 ? KIND_ORDER.length : kind,
      String(object.kind),
      String(object.metadata?.name),
    ] as const;
  };
  return [...objects].sort((a, b) => {
    const [x, y] = [key(a.object), key(b.object)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
}

export interface SyncOptions {
  /** Objects to apply as a server-side dry run only (validated and admitted, not stored). @default - none */
  readonly dryRun?: (object: KubeObject) => boolean;
}

/**
 * Applies the Applications as Argo CD syncs them: by wave, each with server-side apply in Argo CD's order; a
 * CustomResourceDefinition is waited for until Established (what `SkipDryRunOnMissingResource` relies on), and a
 * new Namespace until its `default` ServiceAccount exists (the ServiceAccount admission plugin refuses Pods before).
 */
export async function syncApplications(client: KubeClient, applications: readonly SyncedApplication[], options: SyncOptions = {}): Promise<ObjectVerdict[]> {
  const verdicts: ObjectVerdict[] = [];
  const ordered = [...applications].sort((a, b) => (a.wave === b.wave ? a.name.localeCompare(b.name) : a.wave < b.wave ? -1 : 1));
  const establishedKinds = new Set<string>();
  for (const application of ordered) {
    for (const { object, source } of syncOrder(application.objects)) {
      if (!client.pathOf(object)) await discoverKind(client, object, establishedKinds);
      const dryRun = options.dryRun?.(object) ?? false;
      const response = await client.apply(object, { fieldManager: 'argocd-controller', dryRun });
      const accepted = response.status >= 200 && response.status < 300;
      verdicts.push({
        application: application.name,
        source,
        kind: String(object.kind),
        name: String(object.metadata?.name),
        namespace: object.metadata?.namespace,
        accepted,
        message: accepted ? undefined : String(response.body?.message ?? `HTTP ${response.status}`),
        warnings: response.warnings,
      });
      if (!accepted || dryRun) continue;
      if (object.kind === 'CustomResourceDefinition') {
        await waitUntil(`CustomResourceDefinition ${object.metadata?.name} Established`, async () => {
          const crd = await client.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${object.metadata?.name}`);
          return (crd.body?.status?.conditions ?? []).some((c: any) => c.type === 'Established' && c.status === 'True');
        });
        for (const version of (object as { spec?: { group?: string; names?: { kind?: string }; versions?: Array<{ name: string }> } }).spec?.versions ?? []) {
          const spec = (object as { spec: { group: string; names: { kind: string } } }).spec;
          establishedKinds.add(`${spec.group}/${version.name}/${spec.names.kind}`);
        }
      }
      if (object.kind === 'Namespace') {
        await waitUntil(
          `ServiceAccount ${object.metadata?.name}/default`,
          async () => (await client.request('GET', `/api/v1/namespaces/${object.metadata?.name}/serviceaccounts/default`)).status === 200,
        );
      }
    }
  }
  return verdicts;
}

/**
 * Re-reads discovery for a kind the server does not serve yet; for the kind of a CRD this sync established, until
 * discovery lists it (the API server publishes a new CRD's kinds a moment after Established).
 */
async function discoverKind(client: KubeClient, object: KubeObject, establishedKinds: ReadonlySet<string>): Promise<void> {
  await client.discover();
  if (client.pathOf(object) || !establishedKinds.has(`${object.apiVersion}/${object.kind}`)) return;
  await waitUntil(`discovery to serve ${object.apiVersion} ${object.kind}`, async () => {
    await client.discover();
    return client.pathOf(object) !== undefined;
  });
}

/** Polls a condition of the server (every 50 ms, up to `timeoutMs`), failing with what was awaited. */
export async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A verdict as one line: `✗ agents: Deployment kagent/x (dist/agents/x.yaml): <server message>`. */
export function describeVerdict(verdict: ObjectVerdict): string {
  const id = `${verdict.kind} ${verdict.namespace ? `${verdict.namespace}/` : ''}${verdict.name}`;
  return `${verdict.accepted ? '✓' : '✗'} ${verdict.application}: ${id} (${verdict.source})${verdict.message ? `: ${verdict.message}` : ''}`;
}

import { waitUntil } from './argo-sync';
import type { KubeClient, KubeObject } from './kube-client';

/** A workload whose Pods the controller-manager creates (and Pod Security admits, or refuses). */
export interface WorkloadPods {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly expected: number;
  readonly created: number;
  /** The messages of `FailedCreate` events of the workload (or of its ReplicaSets). */
  readonly failures: readonly string[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);

/** The Pods one workload should get: replicas for Deployments and StatefulSets, parallelism for Jobs. */
function expectedPods(object: KubeObject): number {
  const spec = (object as { spec?: { replicas?: number; parallelism?: number; completions?: number } }).spec ?? {};
  if (object.kind === 'Job') return Math.min(spec.parallelism ?? 1, spec.completions ?? spec.parallelism ?? 1);
  return spec.replicas ?? 1;
}

/**
 * Waits until every workload among `objects` has its Pods — one per replica, created by the controller-manager
 * and admitted by Pod Security at its namespace's level — or a `FailedCreate` event says why not; then reports
 * each workload. No kubelet runs, so the Pods stay Pending: creation and admission are what is checked.
 */
export async function workloadPods(client: KubeClient, objects: readonly KubeObject[], timeoutMs = 60_000): Promise<WorkloadPods[]> {
  const workloads = objects.filter((o) => WORKLOAD_KINDS.has(String(o.kind)));
  let report: WorkloadPods[] = [];
  const settled = async () => {
    report = await Promise.all(workloads.map((w) => observe(client, w)));
    return report.every((w) => w.created >= w.expected || w.failures.length > 0);
  };
  await waitUntil("the controller-manager to create every workload's Pods", settled, timeoutMs).catch(() => undefined);
  return report;
}

async function observe(client: KubeClient, workload: KubeObject): Promise<WorkloadPods> {
  const namespace = String(workload.metadata?.namespace);
  const name = String(workload.metadata?.name);
  const pods = await client.request('GET', `/api/v1/namespaces/${namespace}/pods`);
  const events = await client.request('GET', `/api/v1/namespaces/${namespace}/events?fieldSelector=reason%3DFailedCreate`);
  const owned = (pods.body?.items ?? []).filter((pod: KubeObject) => ownedBy(pod, workload));
  const failures = (events.body?.items ?? [])
    .filter((event: { involvedObject?: { kind?: string; name?: string } }) => involves(event.involvedObject ?? {}, workload))
    .map((event: { message?: string }) => String(event.message));
  return { kind: String(workload.kind), namespace, name, expected: expectedPods(workload), created: owned.length, failures: [...new Set<string>(failures)] };
}

/** A Deployment owns Pods through a ReplicaSet named `<deployment>-<hash>`; StatefulSets and Jobs own them directly. */
function ownedBy(pod: KubeObject, workload: KubeObject): boolean {
  const owners = (pod.metadata?.ownerReferences ?? []) as Array<{ kind: string; name: string }>;
  return owners.some((owner) =>
    workload.kind === 'Deployment'
      ? owner.kind === 'ReplicaSet' && isReplicaSetOf(owner.name, workload)
      : owner.kind === workload.kind && owner.name === workload.metadata?.name,
  );
}

function involves(object: { kind?: string; name?: string }, workload: KubeObject): boolean {
  if (workload.kind === 'Deployment') return object.kind === 'ReplicaSet' && isReplicaSetOf(String(object.name), workload);
  return object.kind === workload.kind && object.name === workload.metadata?.name;
}

function isReplicaSetOf(replicaSet: string, deployment: KubeObject): boolean {
  return new RegExp(`^${String(deployment.metadata?.name).replace(/[.]/g, '\\.')}-[a-z0-9]+$`).test(replicaSet);
}

/** `Deployment kagent/x: 0 of 1 Pods created: <event message>`, for workloads that did not get their Pods. */
export function describeWorkload(workload: WorkloadPods): string {
  const failures = workload.failures.length > 0 ? `: ${workload.failures.join('; ')}` : '';
  return `${workload.kind} ${workload.namespace}/${workload.name}: ${workload.created} of ${workload.expected} Pods created${failures}`;
}

/**
 * Where the core kinds carry a pod: a Pod is one, workloads hold a template. The offline pod rules read the spec
 * and its metadata from here, with their pointers.
 */
import type { KubeObject } from '../core/kube-object';
import { kindKey, type Json } from './object-paths';
import { podsOf, type DefinedPod } from './pod-templates';

/** A pod spec inside an object, with the pointers of the spec and of its metadata. */
export interface CorePodSpec {
  readonly path: string;
  readonly spec: Json;
  readonly metadataPath: string;
  readonly metadata?: Json;
}

/** The apps/v1 controllers, whose pods run until replaced, by `apiVersion/kind`. */
export const APPS_WORKLOAD_KINDS: ReadonlySet<string> = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/ReplicaSet', 'apps/v1/DaemonSet']);

/** The workload kinds whose `spec.template` is a pod template. */
const POD_TEMPLATE_KINDS: ReadonlySet<string> = new Set([...APPS_WORKLOAD_KINDS, 'batch/v1/Job']);

/** The pod of a core object: a Pod's own spec, a workload's template; undefined for other kinds. */
export function corePodSpecOf(object: KubeObject): CorePodSpec | undefined {
  const o = object as Json;
  if (kindKey(object) === 'v1/Pod') return { path: '/spec', spec: o.spec ?? {}, metadataPath: '/metadata', metadata: o.metadata };
  if (!POD_TEMPLATE_KINDS.has(kindKey(object))) return undefined;
  return { path: '/spec/template/spec', spec: o.spec?.template?.spec ?? {}, metadataPath: '/spec/template/metadata', metadata: o.spec?.template?.metadata };
}

/**
 * The pods Pod Security admission judges for an object: those podsOf finds (workloads, kagent and ToolHive
 * resources), else a bare Pod or the template of a core workload podsOf does not know.
 */
export function admittedPodsOf(object: KubeObject): DefinedPod[] {
  const known = podsOf(object);
  if (known.length > 0) return known;
  const pod = corePodSpecOf(object);
  const namespace = String(object.metadata?.namespace);
  return pod ? [{ source: `${object.kind} ${namespace}/${object.metadata?.name}`, namespace, spec: pod.spec }] : [];
}

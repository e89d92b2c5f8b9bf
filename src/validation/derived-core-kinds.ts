/**
 * Core kinds the pinned `schemas/k8s-core.json` lacks, composed from the definitions it has, in the same strict
 * form (undeclared fields are errors): a bare Pod (which Pod Security admission judges directly), ReplicaSet
 * and DaemonSet. A kind the pinned file gains (scripts/crd-sources.ts CORE_KINDS) takes precedence.
 */

interface CoreSchemas {
  readonly kinds: Record<string, string>;
  readonly definitions: Record<string, unknown>;
}

const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const strict = (properties: Record<string, unknown>) => ({ type: 'object', properties, additionalProperties: false });
const integer = { type: 'integer' };
const intOrString = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
/** Status is written by controllers, never by a manifest; any object passes. */
const topLevel = (spec: string) =>
  strict({ apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: ref('V1ObjectMeta'), spec: ref(spec), status: { type: 'object' } });

const DERIVED: CoreSchemas = {
  kinds: { 'v1/Pod': 'V1Pod', 'apps/v1/ReplicaSet': 'V1ReplicaSet', 'apps/v1/DaemonSet': 'V1DaemonSet' },
  definitions: {
    V1Pod: topLevel('V1PodSpec'),
    V1ReplicaSet: topLevel('V1ReplicaSetSpec'),
    V1ReplicaSetSpec: strict({ minReadySeconds: integer, replicas: integer, selector: ref('V1LabelSelector'), template: ref('V1PodTemplateSpec') }),
    V1DaemonSet: topLevel('V1DaemonSetSpec'),
    V1DaemonSetSpec: strict({
      minReadySeconds: integer,
      revisionHistoryLimit: integer,
      selector: ref('V1LabelSelector'),
      template: ref('V1PodTemplateSpec'),
      updateStrategy: ref('V1DaemonSetUpdateStrategy'),
    }),
    V1DaemonSetUpdateStrategy: strict({ type: { type: 'string' }, rollingUpdate: ref('V1RollingUpdateDaemonSet') }),
    V1RollingUpdateDaemonSet: strict({ maxSurge: intOrString, maxUnavailable: intOrString }),
  },
};

/** The pinned core schemas plus the derived kinds they do not define. */
export function withDerivedKinds<T extends CoreSchemas>(pinned: T): T {
  return {
    ...pinned,
    kinds: { ...DERIVED.kinds, ...pinned.kinds },
    definitions: { ...DERIVED.definitions, ...pinned.definitions },
  };
}

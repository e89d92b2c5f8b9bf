import { ApiObject, App, ImplicitTokenResolver, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import type { KubeObject } from '../validation/manifest-validator';

/**
 * The manifests of these API objects, exactly as their `toJson()` renders them, in about a third of the time.
 *
 * `ApiObject.toJson()` resolves every value (a context object and a copy of the key path per value, the app
 * looked up from the construct tree per value) and then walks the result again to drop empty values and sort
 * keys; at 10,000 agents those two walks were a fifth of a synth. Here one walk does both, with the same rules,
 * for objects that need nothing else: no JSON patches, the app's built-in resolvers only, nothing but plain
 * values, lazies and tokens inside. Any other object (and any error) takes cdk8s's own path, so the result and
 * the error messages are always cdk8s's. The generated classes' `toJson()` (which rename the fields of the
 * resolved props) still run: only the base method they call is swapped, while this function runs.
 */
export function renderApiObjects(objects: readonly ApiObject[]): KubeObject[] {
  const base = ApiObject.prototype.toJson;
  const sortKeys = !process.env.CDK8S_DISABLE_SORT;
  const simpleApps = new Map<App, boolean>();
  ApiObject.prototype.toJson = function (this: ApiObject) {
    return (hasBuiltInResolversOnly(App.of(this) as App, simpleApps) && oneWalk(this, sortKeys)) || base.call(this);
  };
  try {
    return objects.map((o) => o.toJson() as KubeObject);
  } finally {
    ApiObject.prototype.toJson = base;
  }
}

/** The fields of cdk8s's ApiObject and ApiObjectMetadataDefinition this reads (cdk8s is pinned exactly). */
interface ApiObjectInternals {
  readonly props: Record<string, unknown>;
  readonly patches: readonly unknown[];
  readonly metadata: {
    readonly _additionalAttributes?: Record<string, unknown>;
    readonly name?: string;
    readonly namespace?: string;
    readonly annotations?: Record<string, string>;
    readonly finalizers?: string[];
    readonly ownerReferences?: unknown[];
    readonly labels?: Record<string, string>;
  };
}

/** Thrown inside the walk for a value only cdk8s's own path renders (or fails on) correctly. */
class NotPlain extends Error {}

/** `ApiObject.toJson()` in one walk, or undefined when the object needs cdk8s's own path. */
function oneWalk(object: ApiObject, sortKeys: boolean): KubeObject | undefined {
  const { props, patches, metadata } = object as unknown as ApiObjectInternals;
  if (patches.length > 0 || typeof metadata._additionalAttributes !== 'object') return undefined;
  try {
    const meta = plain({
      ...metadata._additionalAttributes, name: metadata.name, namespace: metadata.namespace, annotations: metadata.annotations,
      finalizers: metadata.finalizers, ownerReferences: metadata.ownerReferences, labels: metadata.labels,
    }, true, true);
    const rendered = plain({ ...props, metadata: meta }, sortKeys, false) as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(rendered)]) if (key in rendered) result[key] = rendered[key];
    return result as KubeObject;
  } catch {
    return undefined;
  }
}

/**
 * A value resolved and sanitized as cdk8s does (`resolve`, then `sanitizeValue`): lazies produced, tokens
 * resolved, number-or-string unions unwrapped, null and undefined dropped from objects, keys sorted;
 * `filterEmpty` also drops empty arrays and objects (as for metadata). The metadata walk always sorts keys.
 */
function plain(value: unknown, sortKeys: boolean, filterEmpty: boolean): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') {
    if (typeof value === 'function') throw new NotPlain();
    return value;
  }
  if (value instanceof Lazy) return plain(value.produce(), sortKeys, filterEmpty);
  const v = value as { resolve?: unknown; value?: unknown; constructor?: unknown };
  if (typeof v.resolve === 'function') return plain((v.resolve as () => unknown).call(value), sortKeys, filterEmpty);
  if (v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) return plain({ value: v.value }, sortKeys, filterEmpty);
  if (Array.isArray(value)) return filterEmpty && value.length === 0 ? undefined : value.map((x) => plain(x, sortKeys, filterEmpty));
  if (v.constructor !== Object) throw new NotPlain();
  const record = value as Record<string, unknown>;
  const keys = sortKeys ? Object.keys(record).sort() : Object.keys(record);
  const result: Record<string, unknown> = {};
  let fields = 0;
  for (const key of keys) {
    const field = plain(record[key], sortKeys, filterEmpty);
    if (field !== null && field !== undefined) {
      result[key] = field;
      fields++;
    }
  }
  return filterEmpty && fields === 0 ? undefined : result;
}

/** True if the app resolves with cdk8s's built-in resolvers alone (its default), which {@link plain} implements. */
function hasBuiltInResolversOnly(app: App, known: Map<App, boolean>): boolean {
  let simple = known.get(app);
  if (simple === undefined) {
    const [lazy, token, union, ...more] = app.resolvers ?? [];
    simple = more.length === 0 && lazy instanceof LazyResolver && token instanceof ImplicitTokenResolver && union instanceof NumberStringUnionResolver;
    known.set(app, simple);
  }
  return simple;
}

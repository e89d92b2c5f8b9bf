/**
 * The quantity fields of core kinds, which the OpenAPI schemas type as any string: the API server fails to decode
 * an object whose quantity has the wrong syntax, and rejects a negative amount of a resource.
 */
import type { RuleViolation } from './cel-rules';
import type { KubeObject } from '../core/kube-object';
import { kindKey, valuesAt, violation } from './object-paths';
import { isNegativeQuantity, parseQuantity, quantitySyntaxProblem } from '../core/quantity';

const REQUIREMENTS = 'resources/{requests,limits}/*';

/** Quantity fields of every pod spec. */
const POD_SPEC_QUANTITIES: readonly string[] = [
  `{containers,initContainers}/*/${REQUIREMENTS}`,
  REQUIREMENTS,
  'overhead/*',
  'volumes/*/emptyDir/sizeLimit',
  `volumes/*/ephemeral/volumeClaimTemplate/spec/${REQUIREMENTS}`,
];

/** Quantity fields of objects, by `apiVersion/kind`. */
const OBJECT_QUANTITIES: Readonly<Record<string, readonly string[]>> = {
  'v1/PersistentVolumeClaim': [`spec/${REQUIREMENTS}`],
  'v1/ResourceQuota': ['spec/hard/*'],
  'v1/LimitRange': ['spec/limits/*/{max,min,default,defaultRequest,maxLimitRequestRatio}/*'],
  'apps/v1/StatefulSet': [`spec/volumeClaimTemplates/*/spec/${REQUIREMENTS}`],
};

/** Quantities of the pod spec at `path` that do not decode or are negative. */
export function podSpecQuantityViolations(spec: unknown, path: string): RuleViolation[] {
  return POD_SPEC_QUANTITIES.flatMap((pattern) => quantityViolations(spec, path, pattern));
}

/** Quantities of an object's own fields (its pod spec aside) that do not decode or are negative. */
export function objectQuantityViolations(object: KubeObject): RuleViolation[] {
  return (OBJECT_QUANTITIES[kindKey(object)] ?? []).flatMap((pattern) => quantityViolations(object, '', pattern));
}

function quantityViolations(root: unknown, path: string, pattern: string): RuleViolation[] {
  return valuesAt(root, path, pattern).flatMap(({ path: at, value }) => {
    const quantity = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
    if (!quantity) return [violation(at, quantitySyntaxProblem(value))];
    return isNegativeQuantity(quantity) ? [violation(at, `${JSON.stringify(value)} is negative: an amount of a resource must be 0 or more`)] : [];
  });
}

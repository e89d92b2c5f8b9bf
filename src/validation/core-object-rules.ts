/**
 * The checks the API server makes beyond what any OpenAPI schema says, run offline after the schema passed (as
 * the CEL rules are): ObjectMeta for every kind, custom resources included; pods, workloads, Services and the
 * enumerated and quantity fields for core kinds. Each problem names the field by JSON pointer and says the fix.
 */
import type { RuleViolation } from './cel-rules';
import { objectEnumViolations } from './core-enums';
import { metadataViolations } from './core-names';
import { corePodSpecOf } from './core-pod-specs';
import type { KubeObject } from '../core/kube-object';
import { podSpecViolations } from './pod-spec-rules';
import { objectQuantityViolations } from './quantity-fields';
import { serviceViolations } from './service-rules';
import { workloadSelectorViolations } from './workload-selectors';
import { workloadTemplateViolations } from './workload-templates';

/** What the API server would reject in this (schema-valid) object. */
export function apiServerViolations(object: KubeObject): RuleViolation[] {
  const pod = corePodSpecOf(object);
  return [
    ...metadataViolations(object),
    ...workloadSelectorViolations(object),
    ...workloadTemplateViolations(object),
    ...(pod ? podSpecViolations(pod) : []),
    ...serviceViolations(object),
    ...objectEnumViolations(object),
    ...objectQuantityViolations(object),
  ];
}

/**
 * What each workload kind requires of its pod template beyond a valid pod spec: the restart policy (apps/v1
 * controllers restart their pods, a Job's pods run to completion) and no activeDeadlineSeconds for pods meant to
 * run forever. From pkg/apis/apps/validation and pkg/apis/batch/validation.
 */
import type { RuleViolation } from './cel-rules';
import { APPS_WORKLOAD_KINDS } from './core-pod-specs';
import type { KubeObject } from '../core/kube-object';
import { kindKey, violation, type Json } from './object-paths';

const TEMPLATE_SPEC = '/spec/template/spec';

/** Problems of a workload's pod template that its kind, not the pod spec, rules out. */
export function workloadTemplateViolations(object: KubeObject): RuleViolation[] {
  const spec = (object as Json).spec ?? {};
  const pod: Json = spec.template?.spec ?? {};
  // The API server defaults an absent restartPolicy to Always before it validates.
  const restartPolicy = pod.restartPolicy ?? 'Always';
  if (APPS_WORKLOAD_KINDS.has(kindKey(object))) {
    const out: RuleViolation[] = [];
    // Values outside the enum are core-enums.ts' to report.
    if (restartPolicy === 'OnFailure' || restartPolicy === 'Never')
      out.push(
        violation(`${TEMPLATE_SPEC}/restartPolicy`, `a ${object.kind} only supports restartPolicy "Always": remove restartPolicy (it defaults to Always)`),
      );
    if (pod.activeDeadlineSeconds !== undefined)
      out.push(violation(`${TEMPLATE_SPEC}/activeDeadlineSeconds`, `activeDeadlineSeconds is not supported in a ${object.kind}: remove it`));
    return out;
  }
  if (kindKey(object) === 'batch/v1/Job') {
    if (restartPolicy === 'Always')
      return [
        violation(
          `${TEMPLATE_SPEC}/restartPolicy`,
          'a Job\'s pods must set restartPolicy "OnFailure" or "Never" (absent, it defaults to "Always", which a Job does not support)',
        ),
      ];
    if (spec.podFailurePolicy && restartPolicy !== 'Never') {
      return [violation(`${TEMPLATE_SPEC}/restartPolicy`, 'a Job with a podFailurePolicy only supports restartPolicy "Never"')];
    }
  }
  return [];
}

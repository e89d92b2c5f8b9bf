/**
 * Workload selectors as the API server validates them: apps/v1 Deployment, ReplicaSet, StatefulSet and DaemonSet
 * need a non-empty `spec.selector` that selects their own template (pkg/apis/apps/validation); a Job's selector is
 * generated from its uid unless `spec.manualSelector` is true (pkg/apis/batch/validation validateGeneratedSelector),
 * and its name then labels its pods, so it must be a label value.
 */
import type { RuleViolation } from './cel-rules';
import { APPS_WORKLOAD_KINDS } from './core-pod-specs';
import type { KubeObject } from '../core/kube-object';
import { formatProblem, LABEL_VALUE } from './name-formats';
import { kindKey, violation, type Json } from './object-paths';
import { isEmptySelector, selectorMatches, selectorViolations } from './label-selectors';

/** Problems of a workload's selector; none for other kinds. */
export function workloadSelectorViolations(object: KubeObject): RuleViolation[] {
  if (APPS_WORKLOAD_KINDS.has(kindKey(object))) return ownSelectorViolations(object);
  if (kindKey(object) === 'batch/v1/Job') return jobSelectorViolations(object);
  return [];
}

/** A selector the workload declares itself: required, not empty, valid, and selecting the template. */
function ownSelectorViolations(object: KubeObject): RuleViolation[] {
  const spec = (object as Json).spec ?? {};
  const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  const selector: Json | undefined = spec.selector;
  const shown = JSON.stringify(labels);
  if (!selector) return [violation('/spec/selector', `required field is missing: set spec.selector.matchLabels to labels of the pod template (${shown})`)];
  if (isEmptySelector(selector)) {
    return [
      violation('/spec/selector', `an empty selector is invalid for a ${object.kind}: set spec.selector.matchLabels to labels of the pod template (${shown})`),
    ];
  }
  const problems = selectorViolations(selector, '/spec/selector');
  if (problems.length > 0) return problems;
  if (selectorMatches(selector, labels)) return [];
  return [
    violation(
      '/spec/template/metadata/labels',
      `spec.selector ${JSON.stringify(selector)} does not match the template's labels ${shown}: the ${object.kind} would not own its own pods; give the template the selector's labels`,
    ),
  ];
}

function jobSelectorViolations(job: KubeObject): RuleViolation[] {
  const spec = (job as Json).spec ?? {};
  if (spec.manualSelector === true) return ownSelectorViolations(job);
  const out: RuleViolation[] = [];
  if (spec.selector) {
    out.push(
      violation(
        '/spec/selector',
        "the API server generates a Job's selector from its uid and rejects one it did not generate: remove spec.selector, or set spec.manualSelector: true to keep it",
      ),
    );
  }
  const name = String(job.metadata?.name ?? '');
  const problem = formatProblem(name, LABEL_VALUE);
  if (name && problem)
    out.push(violation('/metadata/name', `the Job's name labels its pods (batch.kubernetes.io/job-name), so it must be a label value: ${problem}`));
  return out;
}

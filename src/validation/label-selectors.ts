/**
 * metav1.LabelSelector as the API server validates and evaluates it (k8s.io/apimachinery pkg/apis/meta/v1/validation
 * ValidateLabelSelector, LabelSelectorAsSelector): matchLabels are labels, each matchExpression has a known operator
 * with values exactly when the operator takes them, and a selector matches labels when every term does.
 */
import type { RuleViolation } from './cel-rules';
import { labelViolations } from './core-names';
import { formatProblem, LABEL_KEY, LABEL_VALUE } from './name-formats';
import { entriesOf, itemsOf, pointer, violation, type Json } from './object-paths';

const WITH_VALUES = new Set(['In', 'NotIn']);
const WITHOUT_VALUES = new Set(['Exists', 'DoesNotExist']);

/** True for a selector with no terms, which selects everything (and which workloads reject). */
export function isEmptySelector(selector: Json): boolean {
  return entriesOf(selector.matchLabels).length + itemsOf(selector.matchExpressions).length === 0;
}

/** Problems of the selector at `path`. */
export function selectorViolations(selector: Json, path: string): RuleViolation[] {
  const expressions = itemsOf(selector.matchExpressions).flatMap((expression, index) =>
    expressionViolations(expression, pointer(path, 'matchExpressions', index)),
  );
  return [...labelViolations(selector.matchLabels, pointer(path, 'matchLabels')), ...expressions];
}

function expressionViolations(expression: Json, path: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const operator = String(expression.operator);
  const values = itemsOf<string>(expression.values);
  if (WITH_VALUES.has(operator) && values.length === 0) out.push(violation(pointer(path, 'values'), `operator ${operator} needs at least one value`));
  else if (WITHOUT_VALUES.has(operator) && values.length > 0) out.push(violation(pointer(path, 'values'), `operator ${operator} takes no values: remove them`));
  else if (!WITH_VALUES.has(operator) && !WITHOUT_VALUES.has(operator)) {
    out.push(violation(pointer(path, 'operator'), `${JSON.stringify(operator)} is not a selector operator: use In, NotIn, Exists or DoesNotExist`));
  }
  const keyProblem = formatProblem(String(expression.key ?? ''), LABEL_KEY);
  if (keyProblem) out.push(violation(pointer(path, 'key'), `key ${keyProblem}`));
  values.forEach((value, index) => {
    const problem = formatProblem(String(value), LABEL_VALUE);
    if (problem) out.push(violation(pointer(path, 'values', index), `value ${problem}`));
  });
  return out;
}

/** Whether the selector selects an object with these labels. */
export function selectorMatches(selector: Json, labels: Readonly<Record<string, string>>): boolean {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, key);
  return (
    entriesOf(selector.matchLabels).every(([key, value]) => has(key) && labels[key] === String(value)) &&
    itemsOf(selector.matchExpressions).every((e) => {
      const values = itemsOf<string>(e.values).map(String);
      switch (e.operator) {
        case 'In':
          return has(e.key) && values.includes(labels[e.key]);
        case 'NotIn':
          return !has(e.key) || !values.includes(labels[e.key]);
        case 'Exists':
          return has(e.key);
        case 'DoesNotExist':
          return !has(e.key);
        default:
          return false;
      }
    })
  );
}

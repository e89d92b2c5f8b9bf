/**
 * Resource requirements as the API server validates them (pkg/apis/core/validation validateResourceRequirements,
 * pkg/apis/core/helper): known resource names, requests no greater than limits, and extended resources
 * (`nvidia.com/gpu`) and hugepages, which cannot be overcommitted, requested exactly as limited and in whole units.
 * Quantities that do not decode are quantity-fields.ts' to report.
 */
import type { RuleViolation } from './cel-rules';
import { formatProblem, LABEL_KEY } from './name-formats';
import { entriesOf, pointer, violation, type Json } from './object-paths';
import { compareQuantities, isWholeQuantity, parseQuantity, type QuantityValue } from '../core/quantity';

const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string): boolean => name.startsWith('hugepages-');
/** Native resources have no domain, or the kubernetes.io one. */
const isNative = (name: string): boolean => !name.includes('/') || name.includes('kubernetes.io/');
const overcommitAllowed = (name: string): boolean => isNative(name) && !isHugePages(name);

/** Problems of the `resources` of a container at `path`. */
export function containerResourceViolations(resources: Json | undefined, path: string): RuleViolation[] {
  const names = new Set([...entriesOf(resources?.requests), ...entriesOf(resources?.limits)].map(([name]) => name));
  return [
    ...[...names].flatMap((name) => resourceNameViolations(name, path, resources ?? {})),
    ...extendedResourceUnitViolations(resources, path),
    ...requestLimitViolations(resources, path),
  ];
}

/** Extended resources are counted in whole units (a GPU cannot be shared by asking for half of one). */
function extendedResourceUnitViolations(resources: Json | undefined, path: string): RuleViolation[] {
  return (['requests', 'limits'] as const).flatMap((side) =>
    entriesOf(resources?.[side])
      .filter(([name, value]) => !isNative(name) && !isWholeQuantity(quantityOf(value) ?? { numerator: 0n, denominator: 1n }))
      .map(([name, value]) => violation(pointer(path, side, name), `${name} is counted in whole units, not ${JSON.stringify(value)}: ask for a whole number`)),
  );
}

/** A container may only ask for cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified resource. */
function resourceNameViolations(name: string, path: string, resources: Json): RuleViolation[] {
  const at = pointer(path, name in (resources.requests ?? {}) ? 'requests' : 'limits', name);
  const keyProblem = formatProblem(name, LABEL_KEY);
  if (keyProblem) return [violation(at, `resource name ${keyProblem}`)];
  if (!name.includes('/') && !CONTAINER_RESOURCES.has(name) && !isHugePages(name)) {
    return [
      violation(
        at,
        `${JSON.stringify(name)} is not a resource containers can ask for: use cpu, memory, ephemeral-storage, hugepages-<size> or a domain-qualified extended resource such as nvidia.com/gpu`,
      ),
    ];
  }
  return [];
}

/** Requests against limits, resource by resource (pod-level `resources` follow the same rule). */
export function requestLimitViolations(resources: Json | undefined, path: string): RuleViolation[] {
  const limits = new Map(entriesOf(resources?.limits).map(([name, value]) => [name, { written: value, quantity: quantityOf(value) }]));
  const out: RuleViolation[] = [];
  for (const [name, written] of entriesOf(resources?.requests)) {
    const request = quantityOf(written);
    const limit = limits.get(name);
    if (!request) continue;
    if (!limit) {
      if (!overcommitAllowed(name))
        out.push(violation(pointer(path, 'limits'), `${name} cannot be overcommitted: set limits.${name} equal to its request ${JSON.stringify(written)}`));
    } else if (limit.quantity) {
      const order = compareQuantities(request, limit.quantity);
      if (!overcommitAllowed(name) && order !== 0) {
        out.push(
          violation(
            pointer(path, 'requests', name),
            `${name} cannot be overcommitted: the request ${JSON.stringify(written)} must equal the limit ${JSON.stringify(limit.written)}`,
          ),
        );
      } else if (order > 0) {
        out.push(
          violation(
            pointer(path, 'requests', name),
            `request ${JSON.stringify(written)} is greater than the ${name} limit ${JSON.stringify(limit.written)}: lower the request or raise the limit`,
          ),
        );
      }
    }
  }
  return out;
}

function quantityOf(value: unknown): QuantityValue | undefined {
  return typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
}

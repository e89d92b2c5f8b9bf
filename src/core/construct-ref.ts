import type { IConstruct } from 'constructs';
import { isBranded } from './brand';

/**
 * Throws unless `value` is a `type` construct (branded by any installed copy of this package, see brand.ts). TypeScript already rejects a wrong type; this catches
 * JavaScript callers and `as any` casts (e.g. a name string where a construct belongs) with the construct
 * path, instead of a `Cannot read properties of undefined` deep inside synthesis.
 */
/** `kind` is the class name the construct brands itself with (bundlers may rename the class itself). */
export function assertConstructOf<T>(scope: IConstruct, field: string, value: unknown, kind: string, hint: string): asserts value is T {
  if (isBranded(value, kind)) return;
  const got = value === undefined ? 'nothing' : typeof value === 'string' ? `the string "${value}"` : `a ${describe(value)}`;
  throw new Error(`${scope.node.path}: ${field} must be a ${kind} construct, got ${got}; ${hint}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

import type { IConstruct } from 'constructs';

/** A class with an `isXxx`-style test, e.g. `ModelConfig` with `ModelConfig.isModelConfig`. */
type ConstructClass<T> = { readonly name: string; readonly prototype: T };

/**
 * Throws unless `value` is an instance of `type`. TypeScript already rejects a wrong type; this catches
 * JavaScript callers and `as any` casts (e.g. a name string where a construct belongs) with the construct
 * path, instead of a `Cannot read properties of undefined` deep inside synthesis.
 */
export function assertConstructOf<T>(scope: IConstruct, field: string, value: unknown, type: ConstructClass<T>, hint: string): asserts value is T {
  if (value instanceof (type as unknown as abstract new () => T)) return;
  const got = value === undefined ? 'nothing' : typeof value === 'string' ? `the string "${value}"` : `a ${describe(value)}`;
  throw new Error(`${scope.node.path}: ${field} must be a ${type.name} construct, got ${got}; ${hint}`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

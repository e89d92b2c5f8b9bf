/**
 * JSON pointers into a manifest object, for the offline rules of core kinds: the problems they report name the
 * field the way the schema and CEL problems do (`/spec/template/spec/containers/0/name`).
 */
import type { RuleViolation } from './cel-rules';

/** A parsed manifest value: the rules read it loosely, after the schema has checked its shape. */
export type Json = Record<string, any>;

/** The `apiVersion/kind` key the rules of a kind are looked up by. */
export const kindKey = (object: { readonly apiVersion?: string; readonly kind?: string }): string => `${object.apiVersion}/${object.kind}`;

/** A field of the object, with its pointer. */
export interface Located<T = unknown> {
  readonly path: string;
  readonly value: T;
}

/** `path` plus more tokens, each escaped as RFC 6901 says. */
export function pointer(path: string, ...tokens: ReadonlyArray<string | number>): string {
  return tokens.reduce<string>((p, token) => `${p}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`, path);
}

/**
 * The values at a slash-separated pattern below `root` (found at `path`): `*` matches every item of an array or
 * every value of a map, `{a,b}` either field; missing fields match nothing.
 */
export function valuesAt(root: unknown, path: string, pattern: string): Located[] {
  let found: Located[] = [{ path, value: root }];
  for (const token of pattern.split('/').filter(Boolean)) {
    found = found.flatMap(({ path: at, value }) => childrenOf(value, token).map(([key, child]) => ({ path: pointer(at, key), value: child })));
  }
  return found;
}

function childrenOf(value: unknown, token: string): Array<[string | number, unknown]> {
  if (value === null || typeof value !== 'object') return [];
  if (token === '*') return Array.isArray(value) ? value.map((item, index) => [index, item]) : Object.entries(value);
  const fields = token.startsWith('{') && token.endsWith('}') ? token.slice(1, -1).split(',') : [token];
  return fields.flatMap((field): Array<[string, unknown]> => {
    const child = (value as Json)[field];
    return child === undefined || child === null ? [] : [[field, child]];
  });
}

/** A violation at a pointer. */
export function violation(path: string, message: string): RuleViolation {
  return { path, message };
}

/** A violation at a pointer when there is a problem, else none. */
export function problemAt(path: string, problem: string | undefined): RuleViolation[] {
  return problem ? [violation(path, problem)] : [];
}

/** The items of an array field, or none. */
export function itemsOf<T = Json>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** The entries of a map field (labels, resources), or none. */
export function entriesOf(value: unknown): Array<[string, unknown]> {
  return value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : [];
}

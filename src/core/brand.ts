/**
 * Marks instances of a construct class with a registered symbol, so `isX` checks recognise them across two
 * installed copies of this package (where `instanceof` fails: each copy has its own class).
 */
export function brand(instance: object, kind: string): void {
  Object.defineProperty(instance, Symbol.for(`agent-platform-cdk8s.${kind}`), { value: true });
}

/** True if `x` was branded as `kind` by any copy of this package. */
export function isBranded(x: unknown, kind: string): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[Symbol.for(`agent-platform-cdk8s.${kind}`)] === true;
}

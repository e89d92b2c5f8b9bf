/** `T` without `readonly`, deeply: the documented config types are readonly, the ones zod infers are not. */
export type Mutable<T> = T extends (...args: never[]) => unknown ? T : T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;

/**
 * `true` when `A` and `B` are the same type up to `readonly`, else `false`. Stricter than assignability both
 * ways, which would let an optional field that only one of them has slip through.
 */
export type SameShape<A, B> = (<T>() => T extends Mutable<A> ? 1 : 2) extends <T>() => T extends Mutable<B> ? 1 : 2 ? true : false;

/**
 * Kubernetes resource quantities (k8s.io/apimachinery pkg/api/resource): the syntax the API server's decoder
 * accepts, and exact values to compare, since `1Gi`, `1024Mi` and `1073741824` are the same amount.
 */

/**
 * `<sign><number><suffix>`: a number with an optional fraction, then a binary suffix (Ki…Ei), a decimal one
 * (n, u, m, k, M, G, T, P, E) or a decimal exponent (`e3`, `E-2`). Anything else fails to decode.
 */
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

const BINARY: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity's exact value, `numerator / denominator`. */
export interface QuantityValue {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** The exact value of a quantity written as a string or a JSON number; undefined if the decoder would reject it. */
export function parseQuantity(written: string | number): QuantityValue | undefined {
  const match = QUANTITY.exec(String(written).trim());
  if (!match) return undefined;
  const [, sign, number, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  let numerator = BigInt(`${whole || '0'}${fraction}`) * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  const scale = (exponent: number, base: bigint) => {
    if (exponent >= 0) numerator *= base ** BigInt(exponent);
    else denominator *= base ** BigInt(-exponent);
  };
  if (suffix in BINARY) scale(BINARY[suffix], 2n);
  else if (suffix in DECIMAL) scale(DECIMAL[suffix], 10n);
  else if (suffix) scale(Number(suffix.slice(1)), 10n);
  return { numerator, denominator };
}

/** Negative, zero or positive as `a` is less than, equal to or greater than `b`. */
export function compareQuantities(a: QuantityValue, b: QuantityValue): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isWholeQuantity(q: QuantityValue): boolean {
  return q.numerator % q.denominator === 0n;
}

export function isNegativeQuantity(q: QuantityValue): boolean {
  return q.numerator < 0n;
}

/** Why the decoder rejects a written quantity, with the fix. */
export function quantitySyntaxProblem(written: unknown): string {
  return `${JSON.stringify(written)} is not a quantity: write a number with an optional suffix, binary Ki, Mi, Gi, Ti, Pi, Ei or decimal m, k, M, G, T, P, E (e.g. "512Mi", "1Gi", "250m"); "MB", "GB", "gi" and "K" are not suffixes`;
}

/** True if `written` is a quantity the API server decodes and it is not negative (requests, limits, sizes). */
export function isQuantity(written: string): boolean {
  const value = parseQuantity(written);
  return value !== undefined && !isNegativeQuantity(value);
}

/** A whole number with a unit suffix (`512Mi`, `250m`): the quantities a quota can multiply and keep readable. */
const WHOLE_WITH_SUFFIX = /^(\d+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** True if `written` is a whole number with an optional suffix, e.g. "512Mi", "1Gi" or "250m". */
export function isWholeNumberQuantity(written: string): boolean {
  return WHOLE_WITH_SUFFIX.test(written);
}

/** `n` times a whole-number quantity, in its own unit ("512Mi" × 4 = "2048Mi"). */
export function multiplyQuantity(written: string, n: number): string {
  const match = WHOLE_WITH_SUFFIX.exec(written);
  if (!match) throw new Error(`${JSON.stringify(written)} is not a whole-number quantity`);
  return `${Number(match[1]) * n}${match[2] ?? ''}`;
}

/** Negative, zero or positive as quantity `a` is less than, equal to or greater than `b` (both must parse). */
export function compareWritten(a: string, b: string): number {
  return compareQuantities(parseQuantity(a)!, parseQuantity(b)!);
}

import type { IConstruct } from 'constructs';

/** One RFC 1123 label, as a pattern fragment: the one definition the construct checks and the offline validation share. */
export const DNS_LABEL_PATTERN = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_LABEL = new RegExp(`^${DNS_LABEL_PATTERN}$`);

/** True if `value` is a DNS-1123 label (what Kubernetes requires of most names). */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

/** Throws a construct-scoped error unless `value` is a DNS-1123 label. */
export function assertDnsLabel(scope: IConstruct, field: string, value: string): void {
  if (!isDnsLabel(value)) {
    throw new Error(
      `${scope.node.path}: ${field} "${value}" is not a valid Kubernetes name; use at most 63 lowercase letters, ` +
        `digits and "-", starting and ending with a letter or digit (e.g. "${suggestName(value)}")`,
    );
  }
}

/** Lowercases and replaces every run of other characters with "-" (the seed's ModelConfig naming). */
export function suggestName(value: string): string {
  return (
    value
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'name'
  );
}

/**
 * Orders strings by UTF-16 code units: the same order on every machine and locale (`localeCompare` depends on
 * ICU data, and its first call loads the collator, which cost more than rendering a small app's YAML).
 */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The name and identifier formats of k8s.io/apimachinery (pkg/util/validation, pkg/api/validate/content), which
 * the API server applies to names, labels, ports and env vars whatever the OpenAPI schema says: each rejects a
 * value with the reasons upstream gives, and offers a valid value close to it as the fix.
 */
import { DNS_LABEL_PATTERN } from '../core/names';

export interface NameFormat {
  /** What the format is called in the API server's messages. */
  readonly title: string;
  /** Why a value does not match; empty when it does. */
  readonly problems: (value: string) => string[];
  /** A valid value close to `value`, offered as the fix. */
  readonly suggest?: (value: string) => string | undefined;
}

const LABEL = DNS_LABEL_PATTERN;
const LABEL_RE = new RegExp(`^${LABEL}$`);
const SUBDOMAIN_RE = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const QUALIFIED_NAME_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const tooLong = (value: string, max: number): string[] => (value.length > max ? [`must be no more than ${max} characters`] : []);

/** Lower-cased, with every run of other characters turned into one `-`, trimmed to `max`. */
function toLabel(value: string, max: number): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** A suggestion only if it differs from the value and is itself valid. */
function validSuggestion(format: NameFormat, value: string, candidate: string): string | undefined {
  return candidate && candidate !== value && format.problems(candidate).length === 0 ? candidate : undefined;
}

/** RFC 1123 label: namespaces, Services, StatefulSets, containers, volumes, Service port names. */
export const DNS1123_LABEL: NameFormat = {
  title: 'lowercase RFC 1123 label',
  problems: (value) => {
    if (LABEL_RE.test(value)) return tooLong(value, 63);
    const chars = SUBDOMAIN_RE.test(value)
      ? 'must not contain dots'
      : "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    return [...tooLong(value, 63), chars];
  },
  suggest: (value) => validSuggestion(DNS1123_LABEL, value, toLabel(value, 63)),
};

/** RFC 1123 subdomain: the names of most kinds, custom resources included. */
export const DNS1123_SUBDOMAIN: NameFormat = {
  title: 'lowercase RFC 1123 subdomain',
  problems: (value) => [
    ...tooLong(value, 253),
    ...(SUBDOMAIN_RE.test(value)
      ? []
      : ["must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"]),
  ],
  suggest: (value) => {
    const segments = value
      .split('.')
      .map((segment) => toLabel(segment, 63))
      .filter(Boolean);
    return validSuggestion(
      DNS1123_SUBDOMAIN,
      value,
      segments
        .join('.')
        .slice(0, 253)
        .replace(/[-.]+$/, ''),
    );
  },
};

/** A label key (a "qualified name"): an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
export const LABEL_KEY: NameFormat = {
  title: 'label key',
  problems: (value) => {
    const parts = value.split('/');
    if (parts.length > 2) return ["must be a name with an optional DNS subdomain prefix and one '/' (e.g. 'example.com/MyName')"];
    const name = parts[parts.length - 1];
    const prefix = parts.length === 2 ? parts[0] : undefined;
    const reasons: string[] = [];
    if (prefix !== undefined) {
      if (prefix === '') reasons.push('prefix part must be non-empty');
      else reasons.push(...DNS1123_SUBDOMAIN.problems(prefix).map((p) => `prefix part ${p}`));
    }
    if (name === '') reasons.push('name part must be non-empty');
    else if (name.length > 63) reasons.push('name part must be no more than 63 characters');
    if (name !== '' && !QUALIFIED_NAME_RE.test(name)) {
      reasons.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }
    return reasons;
  },
};

/** A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric. */
export const LABEL_VALUE: NameFormat = {
  title: 'label value',
  problems: (value) => [
    ...tooLong(value, 63),
    ...(LABEL_VALUE_RE.test(value)
      ? []
      : ["must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"]),
  ],
  suggest: (value) =>
    validSuggestion(
      LABEL_VALUE,
      value,
      value
        .replace(/[^-A-Za-z0-9_.]+/g, '-')
        .replace(/^[^A-Za-z0-9]+/, '')
        .slice(0, 63)
        .replace(/[^A-Za-z0-9]+$/, ''),
    ),
};

/** IANA_SVC_NAME: container port names and the named targetPorts that refer to them. */
export const PORT_NAME: NameFormat = {
  title: 'port name (IANA_SVC_NAME)',
  problems: (value) => {
    const reasons = tooLong(value, 15);
    if (!/^[-a-z0-9]+$/.test(value)) reasons.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
    if (!/[a-z]/.test(value)) reasons.push('must contain at least one letter (a-z)');
    if (value.includes('--')) reasons.push('must not contain consecutive hyphens');
    if (value.startsWith('-') || value.endsWith('-')) reasons.push('must not begin or end with a hyphen');
    return reasons;
  },
  suggest: (value) => validSuggestion(PORT_NAME, value, toLabel(value, 15)),
};

/** Env var names since RelaxedEnvironmentVariableValidation went GA (1.34): printable ASCII other than '='. */
export const ENV_VAR_NAME: NameFormat = {
  title: 'environment variable name',
  problems: (value) => (value !== '' && /^[\x20-\x3c\x3e-\x7e]+$/.test(value) ? [] : ["must consist only of printable ASCII characters other than '='"]),
  suggest: (value) => validSuggestion(ENV_VAR_NAME, value, value.replace(/[^\x20-\x3c\x3e-\x7e]+/g, '_')),
};

/** RBAC role and binding names: anything that is a single URL path segment. */
export const PATH_SEGMENT_NAME: NameFormat = {
  title: 'path segment name',
  problems: (value) => {
    if (value === '.' || value === '..') return [`may not be '${value}'`];
    return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
  },
};

/**
 * The problem with `value` in `format`, said with the reasons and a close valid value; undefined when valid.
 */
export function formatProblem(value: string, format: NameFormat): string | undefined {
  const reasons = format.problems(value);
  if (reasons.length === 0) return undefined;
  const suggestion = format.suggest?.(value);
  return `${JSON.stringify(value)} is not a valid ${format.title}: ${reasons.join('; ')}${suggestion ? `; use e.g. ${JSON.stringify(suggestion)}` : ''}`;
}

/** Port numbers (containerPort, hostPort, Service port, numeric targetPort) are 1 to 65535. */
export function portNumberProblem(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `${port} is not a valid port number: must be between 1 and 65535, inclusive`;
}

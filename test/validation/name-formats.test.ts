import { describe, expect, it } from 'vitest';
import {
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  ENV_VAR_NAME,
  formatProblem,
  LABEL_KEY,
  LABEL_VALUE,
  PATH_SEGMENT_NAME,
  PORT_NAME,
  portNumberProblem,
} from '../../src/validation/name-formats';

describe('name formats (k8s.io/apimachinery)', () => {
  it('tells an RFC 1123 label from a subdomain', () => {
    expect(DNS1123_LABEL.problems('ollama-0')).toEqual([]);
    expect(DNS1123_LABEL.problems('a.b')).toEqual(['must not contain dots']);
    expect(DNS1123_LABEL.problems('-a')).toEqual([
      "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    ]);
    expect(DNS1123_LABEL.problems('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(DNS1123_SUBDOMAIN.problems('a.b-c.d')).toEqual([]);
    expect(DNS1123_SUBDOMAIN.problems('a..b')).toHaveLength(1);
    expect(DNS1123_SUBDOMAIN.problems(`${'a'.repeat(63)}.`.repeat(4) + 'a')).toEqual(['must be no more than 253 characters']);
  });

  it('suggests a valid value close to an invalid one', () => {
    expect(formatProblem('My_App', DNS1123_LABEL)).toMatch(/; use e\.g\. "my-app"$/);
    expect(formatProblem('Models..Cache_', DNS1123_SUBDOMAIN)).toMatch(/; use e\.g\. "models\.cache"$/);
    expect(formatProblem('my-app', DNS1123_LABEL)).toBeUndefined();
    // No suggestion when nothing valid is close.
    expect(formatProblem('___', DNS1123_LABEL)).not.toMatch(/use e\.g\./);
  });

  it('checks label keys part by part', () => {
    expect(LABEL_KEY.problems('app.kubernetes.io/name')).toEqual([]);
    expect(LABEL_KEY.problems('MyName')).toEqual([]);
    expect(LABEL_KEY.problems('/name')).toEqual(['prefix part must be non-empty']);
    expect(LABEL_KEY.problems('Example.com/name')[0]).toMatch(/^prefix part must consist of lower case/);
    expect(LABEL_KEY.problems('example.com/')).toEqual(['name part must be non-empty']);
    expect(LABEL_KEY.problems(`x/${'n'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters']);
    expect(LABEL_KEY.problems('a/b/c')).toHaveLength(1);
  });

  it('allows empty label values but not spaces or long ones', () => {
    expect(LABEL_VALUE.problems('')).toEqual([]);
    expect(LABEL_VALUE.problems('v1.2_3-x')).toEqual([]);
    expect(LABEL_VALUE.problems('a b')).toHaveLength(1);
    expect(LABEL_VALUE.problems('-a')).toHaveLength(1);
    expect(LABEL_VALUE.problems('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('checks IANA_SVC_NAME port names', () => {
    expect(PORT_NAME.problems('http-metrics')).toEqual([]);
    expect(PORT_NAME.problems('8080')).toEqual(['must contain at least one letter (a-z)']);
    expect(PORT_NAME.problems('a--b')).toEqual(['must not contain consecutive hyphens']);
    expect(PORT_NAME.problems('-a')).toEqual(['must not begin or end with a hyphen']);
    expect(PORT_NAME.problems('a'.repeat(16))).toEqual(['must be no more than 15 characters']);
  });

  it('allows relaxed env var names (printable ASCII but =)', () => {
    expect(ENV_VAR_NAME.problems('my.env-name with space')).toEqual([]);
    expect(ENV_VAR_NAME.problems('1ST')).toEqual([]);
    expect(ENV_VAR_NAME.problems('A=B')).toHaveLength(1);
    expect(ENV_VAR_NAME.problems('tab\there')).toHaveLength(1);
    expect(ENV_VAR_NAME.problems('')).toHaveLength(1);
  });

  it('checks RBAC names as path segments', () => {
    expect(PATH_SEGMENT_NAME.problems('system:controller:kagent')).toEqual([]);
    expect(PATH_SEGMENT_NAME.problems('..')).toEqual(["may not be '..'"]);
    expect(PATH_SEGMENT_NAME.problems('a/b%c')).toEqual(["may not contain '/'", "may not contain '%'"]);
  });

  it('checks port numbers', () => {
    expect(portNumberProblem(1)).toBeUndefined();
    expect(portNumberProblem(65535)).toBeUndefined();
    expect(portNumberProblem(0)).toBe('0 is not a valid port number: must be between 1 and 65535, inclusive');
    expect(portNumberProblem(65536)).toMatch(/^65536 is not/);
  });
});

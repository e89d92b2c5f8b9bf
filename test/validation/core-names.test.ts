import { describe, expect, it } from 'vitest';
import { labelViolations, metadataViolations, nameFormatOf } from '../../src/validation/core-names';
import type { KubeObject } from '../../src/core/kube-object';

const object = (apiVersion: string, kind: string, metadata: Record<string, unknown>) => ({ apiVersion, kind, metadata }) as KubeObject;

describe('ObjectMeta rules', () => {
  it('applies the name format of each kind', () => {
    expect(nameFormatOf(object('v1', 'Namespace', {})).title).toBe('lowercase RFC 1123 label');
    expect(nameFormatOf(object('v1', 'Service', {})).title).toBe('lowercase RFC 1123 label');
    expect(nameFormatOf(object('apps/v1', 'StatefulSet', {})).title).toBe('lowercase RFC 1123 label');
    expect(nameFormatOf(object('rbac.authorization.k8s.io/v1', 'Role', {})).title).toBe('path segment name');
    expect(nameFormatOf(object('v1', 'ConfigMap', {})).title).toBe('lowercase RFC 1123 subdomain');
    expect(nameFormatOf(object('kagent.dev/v1alpha2', 'Agent', {})).title).toBe('lowercase RFC 1123 subdomain');
  });

  it('accepts dotted names where subdomains are allowed, and RBAC names with colons', () => {
    expect(metadataViolations(object('apps/v1', 'Deployment', { name: 'web.v2', namespace: 'n' }))).toEqual([]);
    expect(metadataViolations(object('rbac.authorization.k8s.io/v1', 'Role', { name: 'kagent:reader', namespace: 'n' }))).toEqual([]);
  });

  it('rejects a Namespace with a dot and a custom resource with capitals', () => {
    expect(metadataViolations(object('v1', 'Namespace', { name: 'ai.agents' }))).toEqual([
      { path: '/metadata/name', message: 'Namespace name "ai.agents" is not a valid lowercase RFC 1123 label: must not contain dots; use e.g. "ai-agents"' },
    ]);
    expect(metadataViolations(object('kagent.dev/v1alpha2', 'Agent', { name: 'Researcher', namespace: 'kagent' }))[0].message).toMatch(
      /^Agent name "Researcher" .*use e\.g\. "researcher"$/,
    );
  });

  it('requires a name unless generateName is set, and checks the namespace', () => {
    expect(metadataViolations(object('v1', 'ConfigMap', { namespace: 'n' }))).toEqual([
      { path: '/metadata/name', message: 'required field is missing: set metadata.name' },
    ]);
    expect(metadataViolations(object('v1', 'ConfigMap', { generateName: 'x-', namespace: 'n' }))).toEqual([]);
    expect(metadataViolations(object('v1', 'ConfigMap', { name: 'x', namespace: 'Agents' }))[0].path).toBe('/metadata/namespace');
  });

  it('checks label keys and values, escaping the pointer', () => {
    expect(labelViolations({ 'app.kubernetes.io/name': 'ok', 'a/b/c': 'x', team: 'has space' }, '/metadata/labels')).toEqual([
      { path: '/metadata/labels/a~1b~1c', message: expect.stringMatching(/^key "a\/b\/c" is not a valid label key/) },
      { path: '/metadata/labels/team', message: expect.stringMatching(/^value "has space" is not a valid label value/) },
    ]);
  });

  it('compares annotation keys lower-cased and limits their total size', () => {
    expect(metadataViolations(object('v1', 'ConfigMap', { name: 'x', namespace: 'n', annotations: { 'Example.com/Owner': 'free text, any: value' } }))).toEqual(
      [],
    );
    const big = metadataViolations(object('v1', 'ConfigMap', { name: 'x', namespace: 'n', annotations: { a: 'x'.repeat(256 * 1024) } }));
    expect(big).toEqual([
      { path: '/metadata/annotations', message: expect.stringMatching(/^annotations total 262145 bytes, more than the API server's limit of 262144/) },
    ]);
  });
});

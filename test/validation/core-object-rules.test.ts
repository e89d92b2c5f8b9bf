import { describe, expect, it } from 'vitest';
import { admittedPodsOf } from '../../src/validation/core-pod-specs';
import { ManifestValidator } from '../../src/validation/manifest-validator';
import type { KubeObject } from '../../src/core/kube-object';
import { pointer, valuesAt } from '../../src/validation/object-paths';

const validator = new ManifestValidator();
const container = { name: 'app', image: 'registry.example.com/app:1.0.0' };

describe('API server rules in ManifestValidator', () => {
  it('knows Pod, ReplicaSet and DaemonSet, strictly', () => {
    expect(validator.knownKinds).toEqual(expect.arrayContaining(['v1/Pod', 'apps/v1/ReplicaSet', 'apps/v1/DaemonSet']));
    expect(validator.validate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [container] } }, 'f.yaml')).toEqual(
      [],
    );
    expect(
      validator.validate({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [container], replicas: 1 } }, 'f.yaml'),
    ).toEqual(['f.yaml: Pod n/p: /spec/replicas: unknown field "replicas" (the schema does not declare it, so the API server would drop it)']);
    const daemonSet = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'd', namespace: 'n' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [container] } },
        updateStrategy: { rollingUpdate: { maxUnavailable: '10%' } },
      },
    };
    expect(validator.validate(daemonSet, 'f.yaml')).toEqual([]);
  });

  it("reports them in the schema problems' shape, for core kinds and custom resources", () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'n' }, spec: { ports: [{ port: 80, targetPort: 'http_alt' }] } };
    expect(validator.validate(service, 'dist/web/service-web.yaml')).toEqual([
      'dist/web/service-web.yaml: Service n/web: /spec/ports/0/targetPort: targetPort names a container port, and "http_alt" is not a valid port name (IANA_SVC_NAME): must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-); use e.g. "http-alt"; or give the port number',
    ]);
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'k8s_helper', namespace: 'kagent' },
      spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi' } },
    };
    expect(validator.validate(agent, 'f.yaml')).toEqual([
      'f.yaml: Agent kagent/k8s_helper: /metadata/name: Agent name "k8s_helper" is not a valid lowercase RFC 1123 subdomain: must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character; use e.g. "k8s-helper"',
    ]);
  });

  it('runs them only on schema-valid objects, as the API server does', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Web', namespace: 'n' }, spec: { replicas: '2' } };
    expect(validator.validate(deployment, 'f.yaml')).toEqual(['f.yaml: Deployment n/Web: /spec/replicas: must be integer']);
  });
});

describe('admitted pods', () => {
  it('are a bare Pod itself and the template of workloads podsOf does not know', () => {
    const spec = { containers: [container] };
    expect(admittedPodsOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec } as KubeObject)).toEqual([
      { source: 'Pod n/p', namespace: 'n', spec },
    ]);
    expect(
      admittedPodsOf({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd', namespace: 'n' }, spec: { template: { spec } } } as KubeObject),
    ).toEqual([{ source: 'DaemonSet n/d', namespace: 'n', spec }]);
    expect(admittedPodsOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'n' } } as KubeObject)).toEqual([]);
  });
});

describe('object paths', () => {
  it('escapes pointer tokens and expands * and {a,b}', () => {
    expect(pointer('/metadata/labels', 'a/b~c')).toBe('/metadata/labels/a~1b~0c');
    const root = { containers: [{ ports: [{ protocol: 'TCP' }] }], initContainers: [{ ports: [{ protocol: 'UDP' }, {}] }] };
    expect(valuesAt(root, '/spec', '{containers,initContainers}/*/ports/*/protocol')).toEqual([
      { path: '/spec/containers/0/ports/0/protocol', value: 'TCP' },
      { path: '/spec/initContainers/0/ports/0/protocol', value: 'UDP' },
    ]);
    expect(valuesAt({ a: null }, '', 'a/b')).toEqual([]);
  });
});

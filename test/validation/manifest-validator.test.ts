import { describe, expect, it } from 'vitest';
import { DEFAULT_KAGENT_VERSION } from '../../src/core/kagent-versions';
import { SCHEMA_DIR } from '../../src/core/paths';
import { ManifestValidator } from '../../src/validation/manifest-validator';

const validator = new ManifestValidator();
const v0723 = new ManifestValidator(SCHEMA_DIR, { kagentVersion: '0.7.23' });

describe('ManifestValidator', () => {
  it('accepts a valid Agent', () => {
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'kagent' },
      spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi' } },
    };
    expect(validator.validate(agent, 'dist/agents/agent-a.yaml')).toEqual([]);
  });

  it('rejects an Agent with an unknown field, naming file, object and field path', () => {
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'kagent' },
      spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi', temperature: 0.2 } },
    };
    expect(validator.validate(agent, 'dist/agents/agent-a.yaml')).toEqual([
      'dist/agents/agent-a.yaml: Agent kagent/a: /spec/declarative/temperature: unknown field "temperature" (the schema does not declare it, so the API server would drop it)',
    ]);
  });

  it('rejects an MCPServer with the removed port field', () => {
    const server = {
      apiVersion: 'toolhive.stacklok.dev/v1beta1',
      kind: 'MCPServer',
      metadata: { name: 'github', namespace: 'toolhive-system' },
      spec: { image: 'ghcr.io/github/github-mcp-server:1.0.0', port: 8080 },
    };
    expect(validator.validate(server, 'dist/toolhive/mcpserver-github.yaml')).toEqual([
      'dist/toolhive/mcpserver-github.yaml: MCPServer toolhive-system/github: /spec/port: unknown field "port" (the schema does not declare it, so the API server would drop it)',
    ]);
  });

  it('rejects a Deployment with a string containerPort', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.0', ports: [{ containerPort: '80' }] }] } },
      },
    };
    expect(validator.validate(deployment, 'dist/web/deployment-web.yaml')).toEqual([
      'dist/web/deployment-web.yaml: Deployment default/web: /spec/template/spec/containers/0/ports/0/containerPort: must be integer',
    ]);
  });

  it('rejects an unknown field on a core object', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n', labelz: {} }, spec: {} };
    expect(validator.validate(service, 'f.yaml')).toEqual([
      'f.yaml: Service n/s: /metadata/labelz: unknown field "labelz" (the schema does not declare it, so the API server would drop it)',
    ]);
  });

  it('rejects an object of a kind with no pinned schema', () => {
    const [error] = validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'n' } }, 'dist/x/widget-w.yaml');
    expect(error).toMatch(/^dist\/x\/widget-w\.yaml: Widget n\/w: no pinned schema for apiVersion "example\.com\/v1" kind "Widget"; known kinds: /);
  });

  it('rejects a value outside a CRD enum', () => {
    const remote = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'RemoteMCPServer',
      metadata: { name: 'r', namespace: 'kagent' },
      spec: { description: 'd', url: 'http://x/mcp', protocol: 'WEBSOCKET' },
    };
    expect(validator.validate(remote, 'f.yaml')).toEqual(['f.yaml: RemoteMCPServer kagent/r: /spec/protocol: must be one of "SSE", "STREAMABLE_HTTP"']);
  });

  it('requires fields the CRD requires', () => {
    const remote = { apiVersion: 'kagent.dev/v1alpha2', kind: 'RemoteMCPServer', metadata: { name: 'r', namespace: 'kagent' }, spec: { url: 'http://x/mcp' } };
    expect(validator.validate(remote, 'f.yaml')).toEqual(['f.yaml: RemoteMCPServer kagent/r: /spec/description: required field is missing']);
  });

  it('knows every pinned kind', () => {
    expect(validator.knownKinds).toEqual(
      expect.arrayContaining([
        'kagent.dev/v1alpha2/Agent',
        'kagent.dev/v1alpha2/ModelConfig',
        'kagent.dev/v1alpha2/RemoteMCPServer',
        'toolhive.stacklok.dev/v1beta1/MCPServer',
        'toolhive.stacklok.dev/v1beta1/MCPToolConfig',
        'toolhive.stacklok.dev/v1beta1/MCPRemoteProxy',
        'argoproj.io/v1alpha1/Application',
        'argoproj.io/v1alpha1/AppProject',
        'apps/v1/Deployment',
        'v1/Namespace',
        'argoproj.io/v1alpha1/ApplicationSet',
        'cilium.io/v2/CiliumNetworkPolicy',
        'v1/ResourceQuota',
        'v1/LimitRange',
        'v1/ServiceAccount',
        'rbac.authorization.k8s.io/v1/Role',
        'rbac.authorization.k8s.io/v1/RoleBinding',
      ]),
    );
  });
});

describe('ManifestValidator kagent versions', () => {
  const goAgent = {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'Agent',
    metadata: { name: 'a', namespace: 'kagent' },
    spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi', runtime: 'go' } },
  };
  const tlsRemote = {
    apiVersion: 'kagent.dev/v1alpha2',
    kind: 'RemoteMCPServer',
    metadata: { name: 'r', namespace: 'kagent' },
    spec: { description: 'd', url: 'https://x/mcp', tls: { caCertSecretRef: 'ca', caCertSecretKey: 'ca.crt' } },
  };

  it('defaults to 0.9.12 and lists both supported versions', () => {
    expect(DEFAULT_KAGENT_VERSION).toBe('0.9.12');
    expect(validator.kagentVersion).toBe('0.9.12');
    expect(ManifestValidator.kagentVersions()).toEqual(['0.7.23', '0.9.12']);
  });

  it('accepts 0.9-only fields with 0.9.12 and rejects them when 0.7.23 is selected', () => {
    expect(validator.validate(goAgent, 'f.yaml')).toEqual([]);
    expect(validator.validate(tlsRemote, 'f.yaml')).toEqual([]);
    expect(v0723.validate(goAgent, 'f.yaml')).toEqual([
      'f.yaml: Agent kagent/a: /spec/declarative/runtime: unknown field "runtime" (the schema does not declare it, so the API server would drop it)',
    ]);
    expect(v0723.validate(tlsRemote, 'f.yaml')).toEqual([
      'f.yaml: RemoteMCPServer kagent/r: /spec/tls: unknown field "tls" (the schema does not declare it, so the API server would drop it)',
    ]);
  });

  it('keeps one precompiled validator per kagent version', () => {
    const shared0912 = ManifestValidator.shared();
    const shared0723 = ManifestValidator.shared({ kagentVersion: '0.7.23' });
    expect(shared0912).toBe(ManifestValidator.shared({ kagentVersion: '0.9.12' }));
    expect(shared0723).not.toBe(shared0912);
    expect(shared0912.validate(goAgent, 'f.yaml')).toEqual([]);
    expect(shared0723.validate(goAgent, 'f.yaml')).toHaveLength(1);
    // CEL rules come from the cache too.
    const both = {
      ...goAgent,
      spec: { ...goAgent.spec, declarative: { modelConfig: 'm', systemMessage: 'hi', systemMessageFrom: { type: 'ConfigMap', name: 'p', key: 'k' } } },
    };
    expect(shared0912.validate(both, 'f.yaml')).toEqual([
      'f.yaml: Agent kagent/a: /spec/declarative: systemMessage and systemMessageFrom are mutually exclusive',
    ]);
  });

  it('rejects a kagent version without pinned schemas, naming the supported ones', () => {
    expect(() => new ManifestValidator(SCHEMA_DIR, { kagentVersion: '0.8.0' })).toThrow(
      /kagent 0\.8\.0 has no pinned schemas .*; supported: 0\.7\.23, 0\.9\.12$/,
    );
  });
});

describe('ManifestValidator kinds for the next features', () => {
  // The precompiled validators: compiling the ApplicationSet schema alone takes seconds.
  const validator = ManifestValidator.shared();

  it('accepts a ResourceQuota, LimitRange, ServiceAccount, Role and RoleBinding', () => {
    const meta = { name: 'x', namespace: 'agents' };
    const objects = [
      { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta, spec: { hard: { 'requests.cpu': '4', pods: '20' } } },
      {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: meta,
        spec: { limits: [{ type: 'Container', default: { memory: '512Mi' }, defaultRequest: { cpu: '100m' } }] },
      },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta, automountServiceAccountToken: false },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: meta,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
        subjects: [{ kind: 'ServiceAccount', name: 'x', namespace: 'agents' }],
      },
    ];
    for (const object of objects) expect(validator.validate(object, 'f.yaml')).toEqual([]);
  });

  it('rejects a Role whose verbs are not a list', () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'x', namespace: 'n' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: 'get' }],
    };
    expect(validator.validate(role, 'f.yaml')).toEqual(['f.yaml: Role n/x: /rules/0/verbs: must be array']);
  });

  it('checks a CiliumNetworkPolicy, translating RE2 patterns', () => {
    const cnp = (spec: Record<string, unknown>) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'p', namespace: 'n' }, spec });
    const valid = cnp({ endpointSelector: {}, egress: [{ toEntities: ['kube-apiserver'] }], log: { value: 'egress to api' } });
    expect(validator.validate(valid, 'f.yaml')).toEqual([]);
    expect(validator.validate(cnp({ endpointSelector: {}, egress: [{ toEntities: ['world'] }], log: { value: 'bell \u0007' } }), 'f.yaml')).toEqual([
      'f.yaml: CiliumNetworkPolicy n/p: /spec/log/value: must match pattern "^\\P{C}*$"',
    ]);
    // oneOf/anyOf branches only require fields; they must not reject the others.
    expect(validator.validate(cnp({ endpointSelector: {}, log: { value: 'x' } }), 'f.yaml')).toEqual([
      'f.yaml: CiliumNetworkPolicy n/p: /spec: must set at least one of ingress, ingressDeny, egress, egressDeny',
    ]);
    expect(validator.validate(cnp({ egress: [{ toEntities: ['world'] }] }), 'f.yaml')).toEqual([
      'f.yaml: CiliumNetworkPolicy n/p: /spec: must set exactly one of endpointSelector, nodeSelector',
    ]);
    expect(validator.validate(cnp({ endpointSelector: {}, nodeSelector: {}, egress: [{ toEntities: ['world'] }] }), 'f.yaml')).toEqual([
      'f.yaml: CiliumNetworkPolicy n/p: /spec: must match exactly one schema in oneOf',
    ]);
    expect(validator.validate(cnp({ endpointSelector: {}, egress: [{ toEntities: ['internet'] }] }), 'f.yaml')).toEqual([
      'f.yaml: CiliumNetworkPolicy n/p: /spec/egress/0/toEntities/0: must be one of "all", "world", "cluster", "host", "init", "ingress", "unmanaged", "remote-node", "health", "none", "kube-apiserver"',
    ]);
  });

  it('checks an Argo CD ApplicationSet', () => {
    const appSet = (template: Record<string, unknown>) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationSet',
      metadata: { name: 'tenants', namespace: 'argocd' },
      spec: { generators: [{ list: { elements: [{ tenant: 'a' }] } }], template },
    });
    const template = {
      metadata: { name: '{{tenant}}' },
      spec: {
        project: 'agent-platform',
        source: { repoURL: 'https://git.example/repo.git', path: 'dist/{{tenant}}', targetRevision: 'main' },
        destination: { server: 'https://kubernetes.default.svc', namespace: '{{tenant}}' },
      },
    };
    expect(validator.validate(appSet(template), 'f.yaml')).toEqual([]);
    expect(validator.validate(appSet({ ...template, spec: { ...template.spec, syncPolicy: { autoSync: true } } }), 'f.yaml')).toEqual([
      'f.yaml: ApplicationSet argocd/tenants: /spec/template/spec/syncPolicy/autoSync: unknown field "autoSync" (the schema does not declare it, so the API server would drop it)',
    ]);
  });
});

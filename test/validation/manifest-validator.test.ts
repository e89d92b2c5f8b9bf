import { describe, expect, it } from 'vitest';
import { ManifestValidator } from '../../src/validation/manifest-validator';

const validator = new ManifestValidator();

describe('ManifestValidator', () => {
  it('accepts a valid Agent', () => {
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', metadata: { name: 'a', namespace: 'kagent' },
      spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi' } },
    };
    expect(validator.validate(agent, 'dist/agents/agent-a.yaml')).toEqual([]);
  });

  it('rejects an Agent with an unknown field, naming file, object and field path', () => {
    const agent = {
      apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent', metadata: { name: 'a', namespace: 'kagent' },
      spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi', temperature: 0.2 } },
    };
    expect(validator.validate(agent, 'dist/agents/agent-a.yaml')).toEqual([
      'dist/agents/agent-a.yaml: Agent kagent/a: /spec/declarative/temperature: unknown field "temperature" (the schema does not declare it, so the API server would drop it)',
    ]);
  });

  it('rejects an MCPServer with the removed port field', () => {
    const server = {
      apiVersion: 'toolhive.stacklok.dev/v1beta1', kind: 'MCPServer', metadata: { name: 'github', namespace: 'toolhive-system' },
      spec: { image: 'ghcr.io/github/github-mcp-server:1.0.0', port: 8080 },
    };
    expect(validator.validate(server, 'dist/toolhive/mcpserver-github.yaml')).toEqual([
      'dist/toolhive/mcpserver-github.yaml: MCPServer toolhive-system/github: /spec/port: unknown field "port" (the schema does not declare it, so the API server would drop it)',
    ]);
  });

  it('rejects a Deployment with a string containerPort', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27.0', ports: [{ containerPort: '80' }] }] } } },
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
      apiVersion: 'kagent.dev/v1alpha2', kind: 'RemoteMCPServer', metadata: { name: 'r', namespace: 'kagent' },
      spec: { description: 'd', url: 'http://x/mcp', protocol: 'WEBSOCKET' },
    };
    expect(validator.validate(remote, 'f.yaml')).toEqual(['f.yaml: RemoteMCPServer kagent/r: /spec/protocol: must be one of "SSE", "STREAMABLE_HTTP"']);
  });

  it('requires fields the CRD requires', () => {
    const remote = { apiVersion: 'kagent.dev/v1alpha2', kind: 'RemoteMCPServer', metadata: { name: 'r', namespace: 'kagent' }, spec: { url: 'http://x/mcp' } };
    expect(validator.validate(remote, 'f.yaml')).toEqual(['f.yaml: RemoteMCPServer kagent/r: /spec/description: required field is missing']);
  });

  it('knows every pinned kind', () => {
    expect(validator.knownKinds).toEqual(expect.arrayContaining([
      'kagent.dev/v1alpha2/Agent', 'kagent.dev/v1alpha2/ModelConfig', 'kagent.dev/v1alpha2/RemoteMCPServer',
      'toolhive.stacklok.dev/v1beta1/MCPServer', 'toolhive.stacklok.dev/v1beta1/MCPToolConfig', 'toolhive.stacklok.dev/v1beta1/MCPRemoteProxy',
      'argoproj.io/v1alpha1/Application', 'argoproj.io/v1alpha1/AppProject', 'apps/v1/Deployment', 'v1/Namespace',
    ]));
  });
});

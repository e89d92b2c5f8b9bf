import { describe, expect, it } from 'vitest';
import { AzureDevOpsMcpServer } from '../../src/tools/azure-devops-mcp-server';
import { GrafanaMcpServer } from '../../src/tools/grafana-mcp-server';
import { McpServer, type McpServerProps } from '../../src/tools/mcp-server';
import { Searxng } from '../../src/tools/searxng';
import { SearxngMcpServer } from '../../src/tools/searxng-mcp-server';
import { synthChart, testScope } from '../support/platform';

function server(props: Partial<McpServerProps> = {}) {
  const scope = testScope('toolhive-system');
  const mcp = new McpServer(scope.chart, 'srv', {
    name: 'demo',
    namespace: scope.ns,
    image: 'ghcr.io/example/demo-mcp:1.2.3',
    description: 'Demo tools',
    ...props,
  });
  return { ...scope, mcp };
}

describe('McpServer endpoint', () => {
  it.each([
    [{ transport: 'stdio' as const }, 'http://mcp-demo-proxy.toolhive-system:8080/mcp', 'STREAMABLE_HTTP'],
    [{ transport: 'stdio' as const, proxyMode: 'sse' as const }, 'http://mcp-demo-proxy.toolhive-system:8080/sse', 'SSE'],
    [{ transport: 'streamable-http' as const, mcpPort: 3000 }, 'http://mcp-demo-proxy.toolhive-system:8080/mcp', 'STREAMABLE_HTTP'],
    [{ transport: 'sse' as const, proxyPort: 9090 }, 'http://mcp-demo-proxy.toolhive-system:9090/sse', 'SSE'],
  ])('%o → %s (%s)', (props, url, protocol) => {
    const { mcp } = server(props);
    expect(mcp.url).toBe(url);
    expect(mcp.protocol).toBe(protocol);
  });

  it('registers in kagent as a RemoteMCPServer with the matching protocol, description and timeout', () => {
    const { chart, mcp } = server({ transport: 'sse' });
    const remote = mcp.toKagent(chart, { timeout: '45s' });
    const rendered = synthChart(chart).find((o) => o.kind === 'RemoteMCPServer');
    expect(remote.namespace).toBe('toolhive-system');
    expect(rendered.spec).toEqual({
      description: 'Demo tools',
      url: 'http://mcp-demo-proxy.toolhive-system:8080/sse',
      protocol: 'SSE',
      timeout: '45s',
      sseReadTimeout: '5m0s',
    });
  });
});

describe('McpServer resource', () => {
  it('renders v1beta1 fields only, secrets by reference, and an MCPToolConfig allow-list', () => {
    const { chart } = server({
      args: ['--verbose'],
      env: { LOG_LEVEL: 'debug' },
      secrets: [{ name: 'tok', key: 'token', targetEnvName: 'API_TOKEN' }],
      tools: ['a', 'b'],
      permissionProfile: 'network',
    });
    const objects = synthChart(chart);
    const mcp = objects.find((o) => o.kind === 'MCPServer');
    expect(mcp.apiVersion).toBe('toolhive.stacklok.dev/v1beta1');
    expect(mcp.spec).toMatchObject({
      image: 'ghcr.io/example/demo-mcp:1.2.3',
      transport: 'stdio',
      proxyMode: 'streamable-http',
      proxyPort: 8080,
      args: ['--verbose'],
      env: [{ name: 'LOG_LEVEL', value: 'debug' }],
      secrets: [{ name: 'tok', key: 'token', targetEnvName: 'API_TOKEN' }],
      permissionProfile: { type: 'builtin', name: 'network' },
      toolConfigRef: { name: 'demo-tools' },
    });
    expect(mcp.spec).not.toHaveProperty('port');
    expect(mcp.spec.podTemplateSpec.spec.containers[0]).toMatchObject({
      name: 'mcp',
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    });
    expect(objects.find((o) => o.kind === 'MCPToolConfig')).toMatchObject({
      metadata: { name: 'demo-tools', namespace: 'toolhive-system' },
      spec: { toolsFilter: ['a', 'b'] },
    });
  });

  it.each([
    [{ image: 'ghcr.io/example/demo-mcp' }, 'test/srv: image "ghcr.io/example/demo-mcp" is not pinned'],
    [{ image: 'ghcr.io/example/demo-mcp:latest' }, 'test/srv: image "ghcr.io/example/demo-mcp:latest" is not pinned'],
    [{ transport: 'websocket' as never }, 'test/srv: transport "websocket" is not one of stdio, streamable-http, sse'],
    [{ transport: 'sse' as const, proxyMode: 'sse' as const }, 'test/srv: proxyMode only applies to transport "stdio"'],
    [{ mcpPort: 3000 }, 'test/srv: mcpPort only applies to HTTP transports; a stdio server has no port'],
    [{ proxyPort: 70000 }, 'test/srv: proxyPort must be a port number 1-65535, got 70000'],
    [{ tools: [] }, 'test/srv: tools is an empty allow-list, which would hide every tool; omit it to allow all'],
    [{ secrets: [{ name: 'tok', key: 'token', targetEnvName: 'bad-name' }] }, 'test/srv: secrets[0].targetEnvName "bad-name" is not a valid variable name'],
    [{ description: ' ' }, 'test/srv: description is required; say what the tools do'],
    [{ secrets: [{ name: 'Bad_Name', key: 'token', targetEnvName: 'TOKEN' }] }, 'test/srv: secrets[0].name "Bad_Name" is not a valid Kubernetes name'],
  ])('rejects %o', (props, message) => {
    expect(() => server(props as Partial<McpServerProps>)).toThrow(message);
  });
});

describe('presets', () => {
  it('Azure DevOps reproduces the seed endpoint with the PAT as ADO_MCP_AUTH_TOKEN', () => {
    const { chart, ns } = testScope('toolhive-system');
    const ado = new AzureDevOpsMcpServer(chart, 'ado', {
      namespace: ns,
      organization: 'contoso',
      patSecret: { name: 'azure-devops-pat', key: 'pat' },
      domains: ['core', 'work-items'],
    });
    expect(ado.url).toBe('http://mcp-azure-devops-proxy.toolhive-system:8080/mcp');
    expect(ado.protocol).toBe('STREAMABLE_HTTP');
    const spec = synthChart(chart).find((o) => o.kind === 'MCPServer').spec;
    expect(spec.args).toEqual(['contoso', '--authentication', 'envvar', '-d', 'core', 'work-items']);
    expect(spec.secrets).toEqual([{ name: 'azure-devops-pat', key: 'pat', targetEnvName: 'ADO_MCP_AUTH_TOKEN' }]);
  });

  it.each([
    [{ organization: '' }, 'test/ado: organization is required (the name in https://dev.azure.com/<organization>), e.g. "contoso"'],
    [{ organization: 'https://dev.azure.com/contoso' }, 'test/ado: organization "https://dev.azure.com/contoso" must be the bare name, not a URL'],
    [{ domains: ['boards'] }, 'test/ado: domain "boards" is unknown'],
    [{ patSecret: undefined }, 'test/ado: patSecret must name the Secret and key holding the Azure DevOps PAT, e.g. { name: "azure-devops-pat", key: "pat" }'],
  ])('Azure DevOps rejects %o', (props, message) => {
    const { chart, ns } = testScope('toolhive-system');
    expect(
      () =>
        new AzureDevOpsMcpServer(chart, 'ado', { namespace: ns, organization: 'contoso', patSecret: { name: 'p', key: 'k' }, ...(props as object) } as never),
    ).toThrow(message);
  });

  it('Grafana runs over stdio with a token Secret', () => {
    const { chart, ns } = testScope('toolhive-system');
    const g = new GrafanaMcpServer(chart, 'g', { namespace: ns, grafanaUrl: 'http://grafana.monitoring:3000', tokenSecret: { name: 'grafana', key: 'token' } });
    // Network policies match pod ports: Grafana's pods listen on 3000 whatever the Service URL's port.
    expect(g.grafana).toEqual({ namespace: 'monitoring', podPort: 3000 });
    expect(
      new GrafanaMcpServer(chart, 'custom', {
        namespace: ns,
        grafanaUrl: 'https://grafana',
        grafanaNamespace: 'obs',
        grafanaPodPort: 8443,
        tokenSecret: { name: 'grafana', key: 'token' },
      }).grafana,
    ).toEqual({ namespace: 'obs', podPort: 8443 });
    expect(() => new GrafanaMcpServer(chart, 'bare', { namespace: ns, grafanaUrl: 'http://grafana', tokenSecret: { name: 'grafana', key: 'token' } })).toThrow(
      'cannot tell Grafana\'s namespace from "http://grafana"; use a URL like "http://grafana.monitoring:80" or set grafanaNamespace',
    );
    const spec = synthChart(chart).find((o) => o.kind === 'MCPServer').spec;
    expect(spec.args).toEqual(['-t', 'stdio', '--disable-write']);
    expect(spec.env).toEqual([{ name: 'GRAFANA_URL', value: 'http://grafana.monitoring:3000' }]);
    expect(spec.secrets).toEqual([{ name: 'grafana', key: 'token', targetEnvName: 'GRAFANA_SERVICE_ACCOUNT_TOKEN' }]);
    expect(() => new GrafanaMcpServer(chart, 'g2', { namespace: ns, grafanaUrl: 'grafana:3000', tokenSecret: { name: 'grafana', key: 'token' } })).toThrow(
      'grafanaUrl "grafana:3000" must be an http(s) URL',
    );
  });

  it('SearXNG enables JSON output and keeps its secret key out of the ConfigMap', () => {
    const { chart, ns } = testScope('searxng');
    const searxng = new Searxng(chart, 's', { namespace: ns, secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } });
    new SearxngMcpServer(chart, 'm', { namespace: ns, searxng });
    const objects = synthChart(chart);
    const settings = objects.find((o) => o.kind === 'ConfigMap').data['settings.yml'];
    expect(settings).toContain('formats:\n    - html\n    - json');
    expect(settings).not.toContain('secret_key');
    const container = objects.find((o) => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'SEARXNG_SECRET', valueFrom: { secretKeyRef: { name: 'searxng-secret', key: 'secret-key' } } });
    expect(objects.find((o) => o.kind === 'MCPServer').spec.env).toEqual([{ name: 'SEARXNG_URL', value: 'http://searxng.searxng.svc.cluster.local:8080' }]);
  });
});

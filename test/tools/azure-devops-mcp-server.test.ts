import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/agents/agent';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { Ollama } from '../../src/models/ollama';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { PlatformChart } from '../../src/core/platform-chart';
import { AzureDevOpsMcpServer, type AzureDevOpsMcpServerProps } from '../../src/tools/azure-devops-mcp-server';
import { AZURE_DEVOPS_DOMAINS, AZURE_DEVOPS_TOOLS, azureDevOpsToolsFor, enabledAzureDevOpsDomains } from '../../src/tools/azure-devops-tools';
import { synthChart, testScope } from '../support/platform';

function ado(props: Partial<AzureDevOpsMcpServerProps> = {}) {
  const scope = testScope('toolhive-system');
  const server = new AzureDevOpsMcpServer(scope.chart, 'ado', {
    namespace: scope.ns,
    organization: 'contoso',
    patSecret: { name: 'azure-devops-pat', key: 'pat' },
    ...props,
  });
  return { ...scope, server };
}

const ALL_BUT_APPS = Object.entries(AZURE_DEVOPS_TOOLS)
  .filter(([d]) => d !== 'mcp-apps')
  .flatMap(([, tools]) => tools);

describe('Azure DevOps tool catalogue (@azure-devops/mcp 2.9.0)', () => {
  it('has the ten domains of src/shared/domains.ts and 41 tools', () => {
    expect(AZURE_DEVOPS_DOMAINS).toEqual([
      'all',
      'core',
      'work',
      'work-items',
      'repositories',
      'pipelines',
      'wiki',
      'search',
      'test-plans',
      'advanced-security',
      'mcp-apps',
    ]);
    expect(Object.values(AZURE_DEVOPS_TOOLS).flat()).toHaveLength(41);
    expect(new Set(Object.values(AZURE_DEVOPS_TOOLS).flat()).size).toBe(41);
    expect(AZURE_DEVOPS_TOOLS['work-items']).toEqual([
      'wit_work_item',
      'wit_query',
      'wit_backlog',
      'wit_work_item_attachment',
      'wit_work_item_write',
      'wit_work_item_comment_write',
      'wit_work_item_link_write',
    ]);
    expect(AZURE_DEVOPS_TOOLS['test-plans']).toContain('testplan_show_test_results_from_build_id');
  });

  it.each([
    [undefined, ALL_BUT_APPS.length],
    [[], ALL_BUT_APPS.length],
    [['all'], ALL_BUT_APPS.length],
    // `all` wins over named domains and never includes mcp-apps, as the server's DomainsManager does.
    [['all', 'mcp-apps'], ALL_BUT_APPS.length],
    [['mcp-apps'], 1],
    [['core', 'work-items'], 10],
  ] as const)('domains %o offer %i tools', (domains, count) => {
    expect(azureDevOpsToolsFor(domains)).toHaveLength(count);
    expect(enabledAzureDevOpsDomains(domains)).not.toContain('all');
  });
});

describe('AzureDevOpsMcpServer known tools', () => {
  it('knows every tool of all domains (but mcp-apps) by default and passes them to kagent', () => {
    const { chart, server } = ado();
    expect(server.knownTools).toEqual(ALL_BUT_APPS);
    const remote = server.toKagent(chart);
    expect(remote.knownTools).toEqual(ALL_BUT_APPS);
    // No allow-list: ToolHive gets no filter.
    expect(synthChart(chart).some((o) => o.kind === 'MCPToolConfig')).toBe(false);
  });

  it("knows only the selected domains' tools", () => {
    const { chart, server } = ado({ domains: ['core', 'work-items'] });
    expect(server.toKagent(chart).knownTools).toEqual([...AZURE_DEVOPS_TOOLS.core, ...AZURE_DEVOPS_TOOLS['work-items']]);
  });

  it('knows only the allow-list when given, and renders it as the ToolHive filter', () => {
    const { chart, server } = ado({ domains: ['work-items'], tools: ['wit_work_item', 'wit_query'] });
    expect(server.toKagent(chart).knownTools).toEqual(['wit_work_item', 'wit_query']);
    expect(synthChart(chart).find((o) => o.kind === 'MCPToolConfig').spec).toEqual({ toolsFilter: ['wit_work_item', 'wit_query'] });
  });

  it.each([
    [
      { tools: ['wit_workitem'] },
      'test/ado: tools has "wit_workitem", which @azure-devops/mcp 2.9.0 does not offer; known in the enabled domains: core_list_project_teams',
    ],
    [
      { domains: ['work-items' as const], tools: ['repo_file'] },
      'test/ado: tools has "repo_file", which is in domain "repositories", not among the enabled domains (work-items); add "repositories" to domains or drop the tool',
    ],
    [{ tools: ['mcp_apps_ping'] }, 'test/ado: tools has "mcp_apps_ping", which is in domain "mcp-apps", not among the enabled domains (core, work, work-items'],
  ])('rejects allow-list %o', (props, message) => {
    expect(() => ado(props)).toThrow(message);
  });

  function agentWith(toolNames: string[]) {
    const { app, server } = ado({ domains: ['work-items'] });
    const agents = new PlatformChart(app, 'agents', { folder: 'agents', namespace: 'kagent' });
    const ollama = new Ollama(agents, 'ollama', { namespace: 'ollama', models: ['kimi-k2.6:cloud'] });
    const model = new OllamaModelConfig(agents, 'kimi', { ollama, model: 'kimi-k2.6:cloud' });
    new Agent(agents, 'po', {
      name: 'po',
      description: 'PO',
      systemPrompt: inlinePrompt('x'),
      modelConfig: model,
      tools: [{ server: server.toKagent(agents), toolNames }],
    });
    return agents;
  }

  it('fails synthesis when an agent names a tool the server does not offer', () => {
    expect(() => synthChart(agentWith(['wit_work_item', 'wit_work_item_writ']))).toThrow(
      '[agents/po] toolNames "wit_work_item_writ" are not offered by MCP server "azure-devops"',
    );
    expect(() => synthChart(agentWith(['repo_file']))).toThrow('[agents/po] toolNames "repo_file" are not offered by MCP server "azure-devops"');
  });

  it('synthesizes an agent that names offered tools', () => {
    const agent = synthChart(agentWith(['wit_work_item', 'wit_work_item_write'])).find((o) => o.kind === 'Agent');
    expect(agent.spec.declarative.tools[0].mcpServer.toolNames).toEqual(['wit_work_item', 'wit_work_item_write']);
  });
});

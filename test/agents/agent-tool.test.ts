import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/agents/agent';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { PlatformChart } from '../../src/core/platform-chart';
import { Ollama } from '../../src/models/ollama';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { AzureDevOpsMcpServer } from '../../src/tools/azure-devops-mcp-server';
import { AZURE_DEVOPS_TOOLS, AZURE_DEVOPS_WRITE_TOOLS } from '../../src/tools/azure-devops-tools';
import { KAGENT_WRITE_TOOLS } from '../../src/tools/kagent-tools';
import { RemoteMcpServer } from '../../src/tools/remote-mcp-server';

function lab() {
  const chart = new PlatformChart(Testing.app(), 'lab', { folder: 'lab', namespace: 'kagent' });
  const ollama = new Ollama(chart, 'ollama', { namespace: 'kagent', models: ['qwen3:8b'] });
  const modelConfig = new OllamaModelConfig(chart, 'qwen', { ollama, model: 'qwen3:8b' });
  const ado = new AzureDevOpsMcpServer(chart, 'ado', {
    namespace: 'kagent',
    organization: 'contoso',
    patSecret: { name: 'pat', key: 'pat' },
    domains: ['work-items', 'wiki'],
  });
  const agent = (id: string, tools: ConstructorParameters<typeof Agent>[2]['tools']) =>
    new Agent(chart, id, { name: id, description: id, systemPrompt: inlinePrompt('Help.'), modelConfig, tools });
  const mcpServerOf = (id: string) => Testing.synth(chart).find((o: any) => o.kind === 'Agent' && o.metadata.name === id).spec.declarative.tools[0].mcpServer;
  return { chart, ado: ado.toKagent(chart), agent, mcpServerOf };
}

describe('approval before writes', () => {
  it('derives the 13 write tools of the 41 Azure DevOps tools from their registrations', () => {
    expect(Object.values(AZURE_DEVOPS_TOOLS).flat()).toHaveLength(41);
    expect([...AZURE_DEVOPS_WRITE_TOOLS].sort()).toEqual(
      [
        'work_iteration_write',
        'work_capacity_write',
        'wit_work_item_write',
        'wit_work_item_comment_write',
        'wit_work_item_link_write',
        'repo_pull_request_write',
        'repo_pull_request_thread_write',
        'repo_create_branch',
        'pipelines_write',
        'wiki_upsert_page',
        'testplan_test_plan_write',
        'testplan_test_suite_write',
        'testplan_test_case_write',
      ].sort(),
    );
  });

  it('puts a whole Azure DevOps server behind approval for its write tools, listing its tools so kagent can ask', () => {
    const { ado, agent, mcpServerOf } = lab();
    agent('po', [ado]);
    expect(mcpServerOf('po')).toMatchObject({
      toolNames: [...AZURE_DEVOPS_TOOLS['work-items'], ...AZURE_DEVOPS_TOOLS.wiki],
      requireApproval: ['wit_work_item_write', 'wit_work_item_comment_write', 'wit_work_item_link_write', 'wiki_upsert_page'],
    });
  });

  it('asks only for the selected write tools, and lets a selection opt out with requireApproval: []', () => {
    const { ado, agent, mcpServerOf } = lab();
    agent('reader', [{ server: ado, toolNames: ['wit_work_item', 'wit_query'] }]);
    agent('writer', [{ server: ado, toolNames: ['wit_work_item', 'wit_work_item_write'] }]);
    agent('trusted', [{ server: ado, toolNames: ['wit_work_item_write'], requireApproval: [] }]);
    expect(mcpServerOf('reader').requireApproval).toBeUndefined();
    expect(mcpServerOf('writer').requireApproval).toEqual(['wit_work_item_write']);
    expect(mcpServerOf('trusted')).toEqual({ apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'azure-devops', toolNames: ['wit_work_item_write'] });
  });

  it('refuses a whole server whose write tools it cannot list, naming the fix', () => {
    const { chart, agent } = lab();
    const k8s = new RemoteMcpServer(chart, 'k8s', {
      name: 'k8s',
      description: 'kagent tools',
      url: 'http://kagent-tools.kagent:8084/mcp',
      writeTools: KAGENT_WRITE_TOOLS,
    });
    expect(() => agent('ops', [k8s])).toThrow(
      'lab/ops: MCP server "k8s" has tools that change things ("k8s_scale", "k8s_patch_resource", "k8s_patch_status", …), which need a human\'s approval, ' +
        'but kagent can only ask for tools it lists and the server offers an unknown set; select toolNames, or opt out with requireApproval: []',
    );
    agent('ops-reader', [{ server: k8s, toolNames: ['k8s_get_resources', 'k8s_apply_manifest'] }]);
  });

  it('leaves servers without known write tools as they are', () => {
    const { chart, agent, mcpServerOf } = lab();
    const search = new RemoteMcpServer(chart, 'search', { name: 'search', description: 'Web search', url: 'http://search.tools:8080/mcp' });
    agent('scout', [search]);
    expect(mcpServerOf('scout')).toEqual({ apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'search' });
  });
});

import { describe, expect, it } from 'vitest';
import { find, renderReference } from './support/platform';

const files = renderReference();

describe('reference platform', () => {
  it('reproduces the seed: Ollama ModelConfig, Azure DevOps endpoint, PO agent and the jairix orchestrator', () => {
    expect(find(files, 'ModelConfig', 'ollama-agents-kimi-k2-6-cloud', 'kagent').spec).toEqual({
      provider: 'Ollama',
      model: 'kimi-k2.6:cloud',
      ollama: { host: 'http://ollama.ollama-agents.svc.cluster.local:11434', options: { num_ctx: '32768' } },
    });
    expect(find(files, 'RemoteMCPServer', 'azure-devops', 'kagent').spec).toMatchObject({
      url: 'http://mcp-azure-devops-proxy.toolhive-system:8080/mcp',
      protocol: 'STREAMABLE_HTTP',
    });
    expect(find(files, 'MCPServer', 'azure-devops', 'toolhive-system').spec.transport).toBe('stdio');
    const po = find(files, 'Agent', 'azure-devops', 'kagent');
    expect(po.spec.description).toContain('Senior PO agent for Azure DevOps User Stories');
    expect(po.spec.declarative.modelConfig).toBe('ollama-agents-kimi-k2-6-cloud');
    // The seed's one MCP server, its write tools now behind approval (the seed ran them unasked).
    expect(po.spec.declarative.tools).toHaveLength(1);
    expect(po.spec.declarative.tools[0]).toMatchObject({
      type: 'McpServer',
      mcpServer: { apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'azure-devops' },
    });
    expect(po.spec.declarative.tools[0].mcpServer.requireApproval).toEqual([
      'work_iteration_write',
      'work_capacity_write',
      'wit_work_item_write',
      'wit_work_item_comment_write',
      'wit_work_item_link_write',
      'wiki_upsert_page',
    ]);
    const jairix = find(files, 'Agent', 'jairix', 'kagent');
    expect(jairix.spec.declarative.modelConfig).toBe('ollama-agents-kimi-k2-thinking-cloud');
    expect(jairix.spec.declarative.tools.map((t: any) => t.agent.name)).toEqual(['azure-devops', 'my-first-k8s-agent', 'research', 'grafana']);
    expect(find(files, 'StatefulSet', 'ollama', 'ollama-agents').spec.template.spec.containers[0].env).toContainEqual({
      name: 'OLLAMA_NUM_PARALLEL',
      value: '4',
    });
  });

  it.each(['namespaces', 'ollama', 'searxng', 'toolhive', 'agents', 'argocd'])('chart %s matches its snapshot', (folder) => {
    const chart = files
      .filter((f) => f.path.startsWith(`${folder}/`))
      .map((f) => `# ${f.path}\n${f.content}`)
      .join('---\n');
    expect(chart).toMatchSnapshot();
  });

  it('chart openwebui matches its snapshot (bundle elided)', () => {
    const chart = files
      .filter((f) => f.path.startsWith('openwebui/'))
      .map((f) => `# ${f.path}\n${f.content.replace(/bridge\.cjs: [\s\S]*$/m, 'bridge.cjs: <bundle>\n').replace(/bundle-sha256: \S+/, 'bundle-sha256: <sha>')}`)
      .join('---\n');
    expect(chart).toMatchSnapshot();
  });

  it('writes the topology and the secret inventory', () => {
    const topology = files.find((f) => f.path === 'TOPOLOGY.md')!.content;
    expect(topology).toContain('agent_kagent_jairix -->|A2A| agent_kagent_azure_devops');
    expect(topology).toContain('agent_kagent_azure_devops -->|MCP| mcp_kagent_azure_devops');
    const secrets = files.find((f) => f.path === 'SECRETS.md')!.content;
    expect(secrets).toContain("kubectl -n toolhive-system create secret generic azure-devops-pat --from-literal=pat='…'");
    expect(secrets).toContain('kubectl -n ollama-agents create secret generic ollama-signin --from-file=id_ed25519=$HOME/.ollama/id_ed25519');
  });
});

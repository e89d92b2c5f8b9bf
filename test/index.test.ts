import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Agent, McpServer, Ollama, OllamaModelConfig, Orchestrator, PlatformChart, TalosNamespace, inlinePrompt } from '../src';

describe('public API', () => {
  it('composes a specialist and an orchestrator in a few lines, without raw YAML', () => {
    const chart = new PlatformChart(Testing.app(), 'lab', { folder: 'lab', namespace: 'kagent' });
    const ollama = new Ollama(chart, 'ollama', { namespace: new TalosNamespace(chart, 'models', { name: 'models' }), numParallel: 4, models: ['qwen3:8b'] });
    const model = new OllamaModelConfig(chart, 'qwen', { ollama, model: 'qwen3:8b' });
    const github = new McpServer(chart, 'github', {
      name: 'github',
      namespace: new TalosNamespace(chart, 'tools', { name: 'tools' }),
      image: 'ghcr.io/github/github-mcp-server:1.0.0',
      description: 'GitHub',
    });
    const dev = new Agent(chart, 'dev', {
      name: 'dev',
      description: 'Reviews pull requests',
      systemPrompt: inlinePrompt('Review PRs.'),
      modelConfig: model,
      tools: [github.toKagent(chart)],
    });
    new Orchestrator(chart, 'lead', { name: 'lead', description: 'Routes', modelConfig: model, delegates: [dev] });

    const agents = Testing.synth(chart).filter((o: any) => o.kind === 'Agent');
    expect(agents.map((a: any) => a.metadata.name)).toEqual(['dev', 'lead']);
    expect(agents[0].spec.declarative.tools[0].mcpServer).toEqual({ apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'github' });
    expect(model.name).toBe('models-qwen3-8b');
  });
});

import { Testing } from 'cdk8s';
import { Agent, type AgentProps } from '../../src/agents/agent';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { Ollama } from '../../src/models/ollama';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/core/platform-chart';
import { RemoteMcpServer } from '../../src/tools/remote-mcp-server';

/** A chart with an Ollama, a model and an MCP server, ready for agents to be composed in a line each. */
export function swarm() {
  const app = Testing.app();
  const models = new PlatformChart(app, 'models', { folder: 'models', namespace: 'ollama-agents' });
  const ollama = new Ollama(models, 'ollama', {
    namespace: new TalosNamespace(models, 'ns', { name: 'ollama-agents' }),
    numParallel: 4,
    models: ['kimi-k2.6:cloud'],
  });
  const chart = new PlatformChart(app, 'agents', { folder: 'agents', namespace: 'kagent' });
  const model = new OllamaModelConfig(chart, 'kimi', { ollama, model: 'kimi-k2.6:cloud' });
  const tools = new RemoteMcpServer(chart, 'tools', {
    name: 'k8s',
    description: 'Kubernetes tools',
    url: 'http://kagent-tools.kagent:8084/mcp',
    knownTools: ['get', 'list', 'delete'],
  });
  const agent = (name: string, extra: Partial<AgentProps> = {}) =>
    new Agent(
      extra.namespace && extra.namespace !== 'kagent'
        ? new PlatformChart(app, `c-${name}`, { folder: `c-${name}`, namespace: String(extra.namespace) })
        : chart,
      name,
      {
        name,
        description: `${name} agent`,
        systemPrompt: inlinePrompt(`You are ${name}.`),
        modelConfig: model,
        ...extra,
      },
    );
  return { app, chart, ollama, model, tools, agent };
}

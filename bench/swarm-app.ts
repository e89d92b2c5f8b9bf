/**
 * A generated swarm for the scale benchmark: `AGENTS` specialists spread over `SERVERS` ToolHive MCP servers,
 * with one orchestrator per 20 specialists (kagent's tool limit) and a root orchestrator over those.
 * Published with the real pipeline into `AGENT_PLATFORM_DIST`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { Agent } from '../src/agents/agent';
import { Orchestrator } from '../src/agents/orchestrator';
import { inlinePrompt } from '../src/agents/system-prompt';
import { Ollama } from '../src/models/ollama';
import { OllamaModelConfig } from '../src/models/ollama-model-config';
import { TalosNamespace } from '../src/namespaces/talos-namespace';
import { PlatformChart } from '../src/core/platform-chart';
import { runSynth } from '../src/synth/synthesize';
import { McpServer } from '../src/tools/mcp-server';

export function buildSwarm(agentCount: number, serverCount: number): App {
  const app = new App();
  const nsChart = new PlatformChart(app, 'namespaces', { folder: 'namespaces' });
  const agentsNs = new TalosNamespace(nsChart, 'agents-ns', { name: 'swarm' });
  const toolsNs = new TalosNamespace(nsChart, 'tools-ns', { name: 'tools' });
  const modelsNs = new TalosNamespace(nsChart, 'models-ns', { name: 'models' });
  const ollama = new Ollama(new PlatformChart(app, 'ollama', { folder: 'ollama', namespace: 'models' }), 'ollama', {
    namespace: modelsNs,
    numParallel: 8,
    models: ['kimi-k2.6:cloud'],
  });
  const tools = new PlatformChart(app, 'tools', { folder: 'tools', namespace: 'tools' });
  const agents = new PlatformChart(app, 'agents', { folder: 'agents', namespace: agentsNs.name });
  const model = new OllamaModelConfig(agents, 'model', { ollama, model: 'kimi-k2.6:cloud' });
  const servers = Array.from({ length: serverCount }, (_, i) =>
    new McpServer(tools, `server-${i}`, {
      name: `tools-${i}`,
      namespace: toolsNs,
      image: 'ghcr.io/example/tools-mcp:1.0.0',
      description: `Tool set ${i}`,
      tools: ['read', 'search', 'write'],
      secrets: [{ name: `tools-${i}-token`, key: 'token', targetEnvName: 'TOKEN' }],
    }).toKagent(agents),
  );
  const specialists = Array.from(
    { length: agentCount },
    (_, i) =>
      new Agent(agents, `agent-${i}`, {
        name: `agent-${i}`,
        description: `Specialist ${i}`,
        modelConfig: model,
        systemPrompt: inlinePrompt(`You are specialist ${i}. Use your tools carefully and answer precisely.\n`.repeat(5)),
        tools: [{ server: servers[i % serverCount], toolNames: ['read', 'search'], requireApproval: ['search'] }],
      }),
  );
  const leads: Agent[] = [];
  for (let i = 0; i < specialists.length; i += 20) {
    leads.push(
      new Orchestrator(agents, `lead-${i / 20}`, {
        name: `lead-${i / 20}`,
        description: `Lead of team ${i / 20}`,
        modelConfig: model,
        delegates: specialists.slice(i, i + 20),
      }),
    );
  }
  for (let i = 0; leads.length > 20; i++)
    leads.splice(
      0,
      20,
      new Orchestrator(agents, `group-${i}`, { name: `group-${i}`, description: `Group ${i}`, modelConfig: model, delegates: leads.slice(0, 20) }),
    );
  new Orchestrator(agents, 'root', { name: 'root', description: 'Routes everything', modelConfig: model, delegates: leads });
  return app;
}

/** Entry for the benchmark's child processes: synthesize, then report peak memory on stderr. */
export function main(): void {
  runSynth(() => buildSwarm(Number(process.env.SWARM_AGENTS ?? 100), Number(process.env.SWARM_SERVERS ?? 10)), {
    distDir: process.env.AGENT_PLATFORM_DIST ?? join(tmpdir(), 'agent-platform-swarm-bench', 'dist'),
  });
  process.stderr.write(`maxRSS_KB=${process.resourceUsage().maxRSS}\n`);
}

if (require.main === module) main();

import type { Construct } from 'constructs';
import { Agent } from '../agents/agent';
import type { AgentTool } from '../agents/agent';
import { Orchestrator } from '../agents/orchestrator';
import { inlinePrompt, promptFile } from '../agents/system-prompt';
import type { AgentConfig, PlatformConfig } from './config/platform-config';
import type { ModelConfig } from '../models/model-config';
import type { RemoteMcpServer } from '../tools/remote-mcp-server';

/**
 * The agents of `config.agents`, created so that every delegate exists before the agent that delegates to
 * it. An agent with delegates and no prompt is an {@link Orchestrator} (its routing prompt is generated).
 */
export function buildConfiguredAgents(
  scope: Construct,
  config: PlatformConfig,
  models: ReadonlyMap<string, ModelConfig>,
  servers: ReadonlyMap<string, RemoteMcpServer>,
): Agent[] {
  const built = new Map<string, Agent>();
  for (const agent of creationOrder(scope, config.agents)) {
    built.set(agent.name, buildAgent(scope, config, agent, { models, servers, agents: built }));
  }
  return config.agents.map((a) => built.get(a.name)!);
}

interface Lookups {
  readonly models: ReadonlyMap<string, ModelConfig>;
  readonly servers: ReadonlyMap<string, RemoteMcpServer>;
  readonly agents: ReadonlyMap<string, Agent>;
}

function buildAgent(scope: Construct, config: PlatformConfig, agent: AgentConfig, lookups: Lookups): Agent {
  const where = `${scope.node.path}: config.agents "${agent.name}"`;
  const modelConfig = lookups.models.get(agent.model);
  if (!modelConfig) throw new Error(`${where}: model "${agent.model}" is not in config.models (${[...lookups.models.keys()].join(', ')})`);
  const delegates = agent.delegates.map((name) => lookups.agents.get(name)!);
  const tools: AgentTool[] = agent.tools.map((tool) => {
    const selection = typeof tool === 'string' ? { server: tool } : tool;
    const server = lookups.servers.get(selection.server);
    if (!server)
      throw new Error(`${where}: tool server "${selection.server}" is not configured; configured: ${[...lookups.servers.keys()].join(', ') || 'none'}`);
    return { ...selection, server };
  });
  const common = {
    name: agent.name,
    description: agent.description,
    modelConfig,
    allowedNamespaces: agent.allowedNamespaces ? { namespaces: agent.allowedNamespaces } : undefined,
  };
  if (!agent.prompt) return new Orchestrator(scope, `agent-${agent.name}`, { ...common, delegates });
  const systemPrompt =
    typeof agent.prompt === 'string'
      ? promptFile(agent.prompt, { baseDir: config.promptDir, baseDirSetting: `config.promptDir, now ${JSON.stringify(config.promptDir)}` })
      : inlinePrompt(agent.prompt.inline);
  return new Agent(scope, `agent-${agent.name}`, { ...common, systemPrompt, tools: [...tools, ...delegates] });
}

/** Delegates first; an unknown delegate or a delegation cycle is a config error. */
function creationOrder(scope: Construct, agents: readonly AgentConfig[]): AgentConfig[] {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const order: AgentConfig[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (agent: AgentConfig, path: string[]) => {
    if (state.get(agent.name) === 'done') return;
    if (state.get(agent.name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(agent.name)), agent.name].join(' → ');
      throw new Error(`${scope.node.path}: config.agents: delegation cycle ${cycle}; A2A calls would loop forever, so remove one of these delegations`);
    }
    state.set(agent.name, 'visiting');
    for (const name of agent.delegates) {
      const delegate = byName.get(name);
      if (!delegate) throw new Error(`${scope.node.path}: config.agents "${agent.name}" delegates to "${name}", which is not in config.agents`);
      visit(delegate, [...path, agent.name]);
    }
    state.set(agent.name, 'done');
    order.push(agent);
  };
  for (const agent of agents) visit(agent, []);
  return order;
}

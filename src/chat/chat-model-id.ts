import type { Agent } from '../agents/agent';

/**
 * The model id Open WebUI shows for an agent: its name in kagent's own namespace (the seed's `jairix`), and
 * `<namespace>/<name>` elsewhere (a team's `research/scout`), so ids stay unique and readable across teams.
 */
export function chatModelId(agent: Agent, homeNamespace: string): string {
  return agent.namespace === homeNamespace ? agent.name : `${agent.namespace}/${agent.name}`;
}

/** The bridge's `AGENTS` value: `<namespace>/<name>`, prefixed with `<id>=` where the id is not the name. */
export function bridgeAgentsEnv(agents: readonly Agent[], homeNamespace: string): string {
  return agents
    .map((agent) => {
      const id = chatModelId(agent, homeNamespace);
      const target = `${agent.namespace}/${agent.name}`;
      return id === agent.name ? target : `${id}=${target}`;
    })
    .join(',');
}

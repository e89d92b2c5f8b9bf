import type { IConstruct } from 'constructs';
import { Agent, MAX_TOOLS, agentsOf } from './agent';

/**
 * Cross-construct checks run at synth time, after all wiring is done. Each message names the construct
 * path and the offending value.
 */
export function agentProblems(agent: Agent): string[] {
  return [
    ...toolCountProblems(agent),
    ...duplicateProblems(agent),
    ...foreignReferenceProblems(agent),
    ...namespaceProblems(agent),
    ...knownToolProblems(agent),
    ...cycleProblems(agent),
  ];
}

function toolCountProblems(agent: Agent): string[] {
  const count = agent.tools.length;
  return count > MAX_TOOLS ? [`${agent.node.path}: agent "${agent.name}" has ${count} tools, but kagent allows at most ${MAX_TOOLS}; split it or delegate to sub-agents`] : [];
}

/** Agents by `namespace/name`, rebuilt only when agents were added since the last check. */
const NAME_INDEX = new WeakMap<IConstruct, { count: number; byName: Map<string, Agent[]> }>();

function agentsNamed(agent: Agent): Agent[] {
  const agents = agentsOf(agent);
  let index = NAME_INDEX.get(agent.node.root);
  if (!index || index.count !== agents.length) {
    const byName = new Map<string, Agent[]>();
    for (const a of agents) byName.set(`${a.namespace}/${a.name}`, [...(byName.get(`${a.namespace}/${a.name}`) ?? []), a]);
    index = { count: agents.length, byName };
    NAME_INDEX.set(agent.node.root, index);
  }
  return index.byName.get(`${agent.namespace}/${agent.name}`) ?? [];
}

function duplicateProblems(agent: Agent): string[] {
  const [first, twin] = agentsNamed(agent);
  // Report once, from the first of the pair.
  if (first !== agent || !twin) return [];
  return [`${agent.node.path}: agent name "${agent.name}" is used twice in namespace "${agent.namespace}" (also ${twin.node.path}); rename one`];
}

function foreignReferenceProblems(agent: Agent): string[] {
  const root = agent.node.root;
  const problems: string[] = [];
  const check = (what: string, ref: { node: { root: unknown; path: string } }, name: string) => {
    if (ref.node.root !== root) problems.push(`${agent.node.path}: ${what} "${name}" (${ref.node.path}) is not part of this app; create it in the same App`);
  };
  check('modelConfig', agent.modelConfig, agent.modelConfig.name);
  for (const delegate of agent.delegates) check('delegate agent', delegate, delegate.name);
  for (const { server } of agent.mcpTools) check('MCP server', server, server.name);
  return problems;
}

function namespaceProblems(agent: Agent): string[] {
  const problems: string[] = [];
  if (agent.modelConfig.namespace !== agent.namespace) {
    problems.push(
      `${agent.node.path}: modelConfig "${agent.modelConfig.name}" is in namespace "${agent.modelConfig.namespace}" but the agent is in "${agent.namespace}"; ` +
        `kagent resolves ModelConfigs in the agent's namespace, so create one there`,
    );
  }
  for (const delegate of agent.delegates) {
    if (!delegate.allowsCallerFrom(agent.namespace)) {
      problems.push(
        `${agent.node.path}: agent "${agent.name}" (namespace "${agent.namespace}") delegates to "${delegate.namespace}/${delegate.name}", which does not allow callers from "${agent.namespace}"; ` +
          `set allowedNamespaces on ${delegate.node.path}`,
      );
    }
  }
  for (const { server } of agent.mcpTools) {
    if (server.namespace !== agent.namespace) {
      problems.push(`${agent.node.path}: MCP server "${server.namespace}/${server.name}" is not in the agent's namespace "${agent.namespace}"; register it there`);
    }
  }
  return problems;
}

function knownToolProblems(agent: Agent): string[] {
  const problems: string[] = [];
  for (const selection of agent.mcpTools) {
    const known = selection.server.knownTools;
    if (!known) continue;
    const unknown = (selection.toolNames ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      problems.push(
        `${agent.node.path}: toolNames ${unknown.map((n) => `"${n}"`).join(', ')} are not offered by MCP server "${selection.server.name}" (it allows ${known.join(', ')})`,
      );
    }
  }
  return problems;
}

/** Finds a delegation cycle through `agent`, reported once from the cycle's first member by name. */
function cycleProblems(agent: Agent): string[] {
  const path = findCycle(agent, agent, [agent]);
  if (!path) return [];
  const members = path.slice(0, -1);
  const first = [...members].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`))[0];
  if (first !== agent) return [];
  const cycle = path.map((a) => a.name).join(' → ');
  return [`${agent.node.path}: delegation cycle ${cycle}; A2A calls would loop forever, so remove one of these delegations`];
}

function findCycle(start: Agent, current: Agent, path: Agent[]): Agent[] | undefined {
  for (const next of current.delegates) {
    if (next === start) return [...path, next];
    if (path.includes(next)) continue;
    const found = findCycle(start, next, [...path, next]);
    if (found) return found;
  }
  return undefined;
}

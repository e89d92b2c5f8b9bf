import type { IConstruct } from 'constructs';
import { compareNames } from '../core/names';

/** kagent's CRD limits. */
export const MAX_TOOLS = 20;
export const MAX_TOOL_NAMES = 50;

interface Named extends IConstruct {
  readonly name: string;
  readonly namespace: string;
}

/**
 * What the checks read of an agent. Structural, so this module needs nothing from `agent.ts` (which runs the
 * checks): the two stay free of an import cycle.
 */
interface Agent extends Named {
  readonly tools: readonly unknown[];
  readonly modelConfig: Named;
  readonly delegates: readonly Agent[];
  readonly mcpTools: ReadonlyArray<{ readonly server: Named & { readonly knownTools?: readonly string[] }; readonly toolNames?: readonly string[] }>;
  allowsCallerFrom(namespace: string): boolean;
}

/** Every Agent of an app, by the app's root construct: checks look agents up without walking the tree. */
const AGENTS_BY_ROOT = new WeakMap<IConstruct, Agent[]>();

/** Changes to the agents of an app (an agent or a tool added), by root: indexes built from them know when they are stale. */
const WIRING_BY_ROOT = new WeakMap<IConstruct, number>();

/** Records a new agent of its app. */
export function registerAgent(agent: Agent): void {
  const siblings = AGENTS_BY_ROOT.get(agent.node.root) ?? [];
  AGENTS_BY_ROOT.set(agent.node.root, siblings);
  siblings.push(agent);
  wiringChanged(agent);
}

/** Records that an agent of the app `scope` belongs to gained a tool. */
export function wiringChanged(scope: IConstruct): void {
  WIRING_BY_ROOT.set(scope.node.root, wiringVersion(scope) + 1);
}

function agentsOf(scope: IConstruct): readonly Agent[] {
  return AGENTS_BY_ROOT.get(scope.node.root) ?? [];
}

function wiringVersion(scope: IConstruct): number {
  return WIRING_BY_ROOT.get(scope.node.root) ?? 0;
}

/**
 * Cross-construct checks run at synth time, after all wiring is done. Each message names the offending value
 * but not the agent's construct path: whoever runs the validations (cdk8s, renderTree) puts it in front.
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
  return count > MAX_TOOLS ? [`agent "${agent.name}" has ${count} tools, but kagent allows at most ${MAX_TOOLS}; split it or delegate to sub-agents`] : [];
}

/**
 * An index over an app's agents, built by `build` on first use and again only after the app's wiring changed
 * (an agent or a tool added): every agent's checks share it.
 */
function wiringIndex<T>(build: (agents: readonly Agent[]) => T): (agent: Agent) => T {
  const built = new WeakMap<IConstruct, { version: number; index: T }>();
  return (agent) => {
    let entry = built.get(agent.node.root);
    if (!entry || entry.version !== wiringVersion(agent)) {
      entry = { version: wiringVersion(agent), index: build(agentsOf(agent)) };
      built.set(agent.node.root, entry);
    }
    return entry.index;
  };
}

/** Agents by `namespace/name`. */
const nameIndex = wiringIndex((agents) => {
  const byName = new Map<string, Agent[]>();
  for (const a of agents) byName.set(`${a.namespace}/${a.name}`, [...(byName.get(`${a.namespace}/${a.name}`) ?? []), a]);
  return byName;
});

function agentsNamed(agent: Agent): Agent[] {
  return nameIndex(agent).get(`${agent.namespace}/${agent.name}`) ?? [];
}

function duplicateProblems(agent: Agent): string[] {
  const [first, twin] = agentsNamed(agent);
  // Report once, from the first of the pair.
  if (first !== agent || !twin) return [];
  return [`agent name "${agent.name}" is used twice in namespace "${agent.namespace}" (also ${twin.node.path}); rename one`];
}

function foreignReferenceProblems(agent: Agent): string[] {
  const root = agent.node.root;
  const problems: string[] = [];
  const check = (what: string, ref: { node: { root: unknown; path: string } }, name: string) => {
    if (ref.node.root !== root) problems.push(`${what} "${name}" (${ref.node.path}) is not part of this app; create it in the same App`);
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
      `modelConfig "${agent.modelConfig.name}" is in namespace "${agent.modelConfig.namespace}" but the agent is in "${agent.namespace}"; ` +
        `kagent resolves ModelConfigs in the agent's namespace, so create one there`,
    );
  }
  for (const delegate of agent.delegates) {
    if (!delegate.allowsCallerFrom(agent.namespace)) {
      problems.push(
        `agent "${agent.name}" (namespace "${agent.namespace}") delegates to "${delegate.namespace}/${delegate.name}", which does not allow callers from "${agent.namespace}"; ` +
          `set allowedNamespaces on ${delegate.node.path}`,
      );
    }
  }
  for (const { server } of agent.mcpTools) {
    if (server.namespace !== agent.namespace) {
      problems.push(`MCP server "${server.namespace}/${server.name}" is not in the agent's namespace "${agent.namespace}"; register it there`);
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
        `toolNames ${unknown.map((n) => `"${n}"`).join(', ')} are not offered by MCP server "${selection.server.name}" (it allows ${known.join(', ')})`,
      );
    }
  }
  return problems;
}

/**
 * Reports each delegation cycle once, from the first member by name of its strongly connected component, with
 * the shortest cycle through that member (one search per component keeps this linear however many agents loop).
 */
function cycleProblems(agent: Agent): string[] {
  const component = cyclicComponentOf(agent);
  if (!component || firstByName(component) !== agent) return [];
  const cycle = shortestCycle(agent, component)
    .map((a) => a.name)
    .join(' → ');
  return [`delegation cycle ${cycle}; A2A calls would loop forever, so remove one of these delegations`];
}

const FIRST_BY_NAME = new WeakMap<ReadonlySet<Agent>, Agent>();

function firstByName(component: ReadonlySet<Agent>): Agent {
  let first = FIRST_BY_NAME.get(component);
  if (!first) {
    first = [...component].reduce((a, b) => (compareNames(`${b.namespace}/${b.name}`, `${a.namespace}/${a.name}`) < 0 ? b : a));
    FIRST_BY_NAME.set(component, first);
  }
  return first;
}

/** A breadth-first search for the shortest way back to `start`, in delegation order; every such way stays in its component. */
function shortestCycle(start: Agent, component: ReadonlySet<Agent>): Agent[] {
  const cameFrom = new Map<Agent, Agent>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    for (const next of current.delegates) {
      if (next === start) {
        const path = [current];
        while (path[path.length - 1] !== start) path.push(cameFrom.get(path[path.length - 1])!);
        return [...path.reverse(), start];
      }
      if (component.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  throw new Error(`${start.node.path}: no delegation cycle found in its cyclic component (a bug: please report it)`);
}

/** The agents of each delegation cycle of an app (strongly connected components). */
const cycleIndex = wiringIndex(cyclicComponents);

/** The strongly connected component holding `agent`, if it is part of a delegation cycle. */
function cyclicComponentOf(agent: Agent): ReadonlySet<Agent> | undefined {
  return cycleIndex(agent).get(agent);
}

/**
 * Tarjan's algorithm, iterative (a delegation chain may be deeper than the call stack): one pass over all
 * agents and delegations, so checking every agent for cycles is linear, not a search per agent.
 */
function cyclicComponents(agents: readonly Agent[]): Map<Agent, ReadonlySet<Agent>> {
  const order = new Map<Agent, number>();
  const low = new Map<Agent, number>();
  const stack: Agent[] = [];
  const onStack = new Set<Agent>();
  const result = new Map<Agent, ReadonlySet<Agent>>();
  for (const root of agents) {
    if (order.has(root)) continue;
    const frames: Array<{ agent: Agent; next: readonly Agent[]; i: number }> = [];
    const enter = (a: Agent) => {
      order.set(a, order.size);
      low.set(a, order.get(a)!);
      stack.push(a);
      onStack.add(a);
      frames.push({ agent: a, next: a.delegates, i: 0 });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      if (frame.i < frame.next.length) {
        const next = frame.next[frame.i++];
        if (!order.has(next)) enter(next);
        else if (onStack.has(next)) low.set(frame.agent, Math.min(low.get(frame.agent)!, order.get(next)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.agent, Math.min(low.get(parent.agent)!, low.get(frame.agent)!));
      if (low.get(frame.agent) !== order.get(frame.agent)) continue;
      const component = new Set<Agent>();
      let member: Agent;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.add(member);
      } while (member !== frame.agent);
      // A single agent is a cycle only through itself, which addTool already rejects.
      if (component.size > 1) for (const m of component) result.set(m, component);
    }
  }
  return result;
}

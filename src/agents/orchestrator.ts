import type { Construct, IConstruct } from 'constructs';
import { Agent, type AgentProps } from './agent';
import type { AgentTool } from './agent';
import { RemoteMcpServer } from '../tools/remote-mcp-server';

export interface OrchestratorProps extends Omit<AgentProps, 'systemPrompt' | 'tools'> {
  /** The specialists it routes to (A2A delegation; no MCP tools of its own). */
  readonly delegates: readonly Agent[];
  /**
   * Instructions appended to the generated routing rules.
   * @default - none
   */
  readonly extraInstructions?: string;
}

/**
 * An agent whose only tools are other agents. Its system message is generated at synth time from its
 * delegates' names and descriptions plus the routing rules that worked in the seed: delegate at once, never
 * ask for confirmation, return the specialist's answer completely.
 * @example
 * ```ts
 * const research = new Agent(chart, 'research', { name: 'research', description: 'Web research', systemPrompt: promptFile('prompts/research.md'), modelConfig: kimi });
 * new Orchestrator(chart, 'lead', { name: 'lead', description: 'Routes every request to a specialist', modelConfig: kimi, delegates: [research] });
 * ```
 */
export class Orchestrator extends Agent {
  constructor(scope: Construct, id: string, props: OrchestratorProps) {
    if (props.delegates.length === 0) {
      throw new Error(`${scope.node.path}/${id}: an orchestrator needs at least one delegate agent`);
    }
    const extra = props.extraInstructions?.trim();
    super(scope, id, {
      ...props,
      tools: props.delegates,
      systemPrompt: { generate: (self: IConstruct) => orchestratorPrompt(self as Orchestrator, extra) },
    });
  }

  /** Orchestrators delegate only; MCP tools belong on a specialist. */
  public override addTool(tool: AgentTool): void {
    if (!Agent.isAgent(tool)) throw new Error(`${this.node.path}: ${notADelegate(tool)}`);
    super.addTool(tool);
  }
}

/** Why `tool` cannot be an orchestrator's: an MCP server belongs on a specialist; anything else is a wrong value. */
function notADelegate(tool: unknown): string {
  if (RemoteMcpServer.isRemoteMcpServer(tool) || (typeof tool === 'object' && tool !== null && 'server' in tool)) {
    return "an orchestrator's tools must be agents (A2A delegation); give MCP servers to a specialist agent instead";
  }
  const got = typeof tool === 'string' ? `the string "${tool}"` : tool === undefined || tool === null ? String(tool) : `a ${typeof tool}`;
  return `delegates must be Agent constructs, got ${got}; pass the Agent itself (what new Agent(...) or platform.agent(name) returns), not its name`;
}

/** The generated routing prompt. */
export function orchestratorPrompt(orchestrator: Agent, extraInstructions?: string): string {
  const roster = orchestrator.delegates.map((d) => `- **${d.name}**: ${d.description.trim()}`).join('\n');
  const lines = [
    `You are ${orchestrator.name}, the orchestrator of a team of specialist agents. You do not answer domain questions yourself: you route each request to the specialist that owns it.`,
    '',
    '## Specialists',
    roster,
    '',
    '## Rules',
    '1. Analyse the request and immediately delegate it to the correct specialist.',
    '2. Do NOT ask the user for confirmation before delegating: just do it.',
    "3. Return the specialist's response directly and completely, without summarising or rewording it.",
    '4. If a request spans several specialists, call each in turn and combine their complete answers.',
    '5. Only if no specialist fits, say so briefly and list what the team can do.',
  ];
  if (extraInstructions) lines.push('', '## Additional instructions', extraInstructions);
  return `${lines.join('\n')}\n`;
}

import type { Construct, IConstruct } from 'constructs';
import { Agent, type AgentProps } from './agent';
import type { AgentTool } from './agent-tool';

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
    if (!Agent.isAgent(tool)) {
      throw new Error(`${this.node.path}: an orchestrator's tools must be agents (A2A delegation); give MCP servers to a specialist agent instead`);
    }
    super.addTool(tool);
  }
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

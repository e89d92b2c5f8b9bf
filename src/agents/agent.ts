import { Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as kagent from '../../imports/kagent.dev';
import { ModelConfig } from '../models/model-config';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { RemoteMcpServer } from '../tools/remote-mcp-server';
import { assertConstructOf } from '../core/construct-ref';
import { assertDnsLabel } from '../core/names';
import { assertResources, type ContainerResources } from '../core/resources';
import { MAX_TOOL_NAMES, agentProblems, registerAgent, wiringChanged } from './agent-checks';
import { asSelection, withApprovals, type McpToolSelection } from './agent-tool';
import { renderDeployment } from './agent-deployment';
import { loadPrompt, type SystemPrompt } from './system-prompt';
import { brand, isBranded } from '../core/brand';

/**
 * What an agent can use: a whole MCP server, a selection of its tools, or another agent (A2A delegation).
 */
export type AgentTool = RemoteMcpServer | McpToolSelection | Agent;

/** An A2A skill advertised on the agent card. */
export interface AgentSkill {
  /** Stable skill id, e.g. `create-user-story`. */
  readonly id: string;
  /** Human-readable name. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** At least one tag (the CRD requires them). */
  readonly tags: readonly string[];
  /** @default - none */
  readonly examples?: readonly string[];
}

/** Which namespaces may call this agent (as an A2A tool). */
export type AllowedNamespaces = { readonly from: 'All' | 'Same' } | { readonly namespaces: readonly string[] };

export interface AgentProps {
  /** Agent name (DNS-1123 label); also its A2A path and the model id in OpenWebUI. */
  readonly name: string;
  /** What the agent does; orchestrators route on it. */
  readonly description: string;
  /** System message, inline or from `agents/<file>.md`. */
  readonly systemPrompt: SystemPrompt;
  /** The model; must be in the agent's namespace. */
  readonly modelConfig: ModelConfig;
  /**
   * Tools: MCP servers, tool selections, other agents. At most 20.
   * @default []
   */
  readonly tools?: readonly AgentTool[];
  /**
   * A2A skills.
   * @default - none
   */
  readonly skills?: readonly AgentSkill[];
  /**
   * Stream model output.
   * @default true
   */
  readonly stream?: boolean;
  /**
   * Agent pod resources.
   * @default - 100m / 256Mi requested, 1Gi memory limit
   */
  readonly resources?: ContainerResources;
  /**
   * Namespaces allowed to use this agent as a tool.
   * @default - the same namespace only
   */
  readonly allowedNamespaces?: AllowedNamespaces;
  /**
   * Namespace.
   * @default - the chart's namespace, else 'kagent'
   */
  readonly namespace?: NamespaceInput;
  /**
   * Non-root user the agent pod runs as.
   * @default 1001
   */
  readonly runAsUser?: number;
}

/**
 * A declarative kagent `Agent` (kagent.dev/v1alpha2). Models, MCP servers and delegate agents are constructs,
 * so wiring mistakes are type errors; what types cannot catch (cycles, duplicates, namespaces, CRD limits)
 * fails synthesis with the construct path.
 * @example
 * ```ts
 * const ollama = new Ollama(chart, 'ollama', { namespace: 'ollama' });
 * const kimi = new OllamaModelConfig(chart, 'kimi', { ollama, model: 'kimi-k2.6:cloud' });
 * const search = new RemoteMcpServer(chart, 'search', { name: 'search', url: 'http://search-mcp.tools:8080/mcp', description: 'Web search' });
 * new Agent(chart, 'research', {
 *   name: 'research', description: 'Web research with cited sources', modelConfig: kimi,
 *   systemPrompt: promptFile('prompts/research.md'), tools: [{ server: search, toolNames: ['web_search'] }],
 * });
 * ```
 */
export class Agent extends Construct {
  /** Returns true if `x` is an Agent. */
  public static isAgent(x: unknown): x is Agent {
    return isBranded(x, 'Agent');
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly description: string;
  public readonly modelConfig: ModelConfig;
  public readonly allowedNamespaces?: AllowedNamespaces;
  public readonly resource: kagent.Agent;
  private readonly _tools: AgentTool[] = [];

  constructor(scope: Construct, id: string, props: AgentProps) {
    super(scope, id);
    brand(this, 'Agent');
    this.name = props.name;
    assertDnsLabel(this, 'name', this.name);
    this.namespace = props.namespace !== undefined ? namespaceName(props.namespace) : (Chart.of(this).namespace ?? 'kagent');
    assertDnsLabel(this, 'namespace', this.namespace);
    if (!props.description?.trim()) throw new Error(`${this.node.path}: description is required; the orchestrator routes on it`);
    this.description = props.description;
    assertConstructOf(this, 'modelConfig', props.modelConfig, 'ModelConfig', 'pass the ModelConfig construct (e.g. new OllamaModelConfig(...)), not its name');
    this.modelConfig = props.modelConfig;
    this.allowedNamespaces = props.allowedNamespaces;
    const systemMessage = loadPrompt(this, props.systemPrompt);
    const resources = props.resources ?? { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' };
    assertResources(this, 'resources', resources);
    validateSkills(this, props.skills ?? []);
    for (const tool of props.tools ?? []) this.addTool(tool);
    registerAgent(this);
    this.node.addValidation({ validate: () => agentProblems(this) });
    this.resource = new kagent.Agent(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        type: kagent.AgentSpecType.DECLARATIVE,
        description: this.description,
        allowedNamespaces: renderAllowedNamespaces(props.allowedNamespaces),
        declarative: {
          modelConfig: this.modelConfig.name,
          systemMessage: Lazy.any({ produce: systemMessage }),
          stream: props.stream ?? true,
          tools: Lazy.any({ produce: () => (this._tools.length > 0 ? this._tools.map((t) => renderTool(t, this.namespace)) : undefined) }),
          a2AConfig: props.skills && props.skills.length > 0 ? { skills: props.skills.map(renderSkill) } : undefined,
          deployment: renderDeployment(resources, props.runAsUser ?? 1001),
        },
      },
    });
  }

  /** The tools, in order. */
  public get tools(): readonly AgentTool[] {
    return [...this._tools];
  }

  /** The agents this agent delegates to. */
  public get delegates(): Agent[] {
    return this._tools.filter(Agent.isAgent);
  }

  /** The MCP tools, each as a selection (a whole server is a selection without `toolNames`). */
  public get mcpTools(): McpToolSelection[] {
    return this._tools.filter((tool): tool is Exclude<AgentTool, Agent> => !Agent.isAgent(tool)).map(asSelection);
  }

  /** Adds a tool; use it to wire agents that are created later. */
  public addTool(tool: AgentTool): void {
    assertTool(this, tool);
    if (tool === this) {
      throw new Error(`${this.node.path}: agent "${this.name}" cannot delegate to itself; kagent rejects self-references`);
    }
    if (!Agent.isAgent(tool)) validateSelection(this, approvedSelection(this, asSelection(tool)));
    this._tools.push(tool);
    wiringChanged(this);
  }

  /** True if an agent in `namespace` may call this one. */
  public allowsCallerFrom(namespace: string): boolean {
    if (namespace === this.namespace) return true;
    const allowed = this.allowedNamespaces;
    if (!allowed) return false;
    return 'from' in allowed ? allowed.from === 'All' : allowed.namespaces.includes(namespace);
  }
}

/** A tool must be an Agent, a RemoteMcpServer or a selection `{ server: RemoteMcpServer, … }`. */
function assertTool(agent: Agent, tool: unknown): void {
  if (Agent.isAgent(tool) || RemoteMcpServer.isRemoteMcpServer(tool)) return;
  const hint = 'pass an Agent (delegation), a RemoteMcpServer (e.g. mcpServer.toKagent(chart)) or { server, toolNames }';
  if (tool && typeof tool === 'object' && 'server' in tool) {
    assertConstructOf(agent, 'tools[].server', (tool as { server: unknown }).server, 'RemoteMcpServer', hint);
    return;
  }
  assertConstructOf(agent, 'tools[]', tool, 'RemoteMcpServer', hint);
}

/** The selection with its write tools behind approval (see withApprovals); errors name the agent. */
function approvedSelection(agent: Agent, selection: McpToolSelection): McpToolSelection {
  try {
    return withApprovals(selection);
  } catch (error) {
    throw new Error(`${agent.node.path}: ${(error as Error).message}`);
  }
}

function validateSelection(agent: Agent, selection: McpToolSelection): void {
  const names = selection.toolNames ?? [];
  if (names.length > MAX_TOOL_NAMES) {
    throw new Error(`${agent.node.path}: ${names.length} toolNames for ${selection.server.name}, but kagent allows at most ${MAX_TOOL_NAMES}; split the agent`);
  }
  const outside = (selection.requireApproval ?? []).filter((name) => !names.includes(name));
  if (outside.length > 0) {
    throw new Error(
      `${agent.node.path}: requireApproval names ${outside.map((n) => `"${n}"`).join(', ')} that are not in toolNames of ${selection.server.name}; ` +
        `add them to toolNames or remove them from requireApproval`,
    );
  }
}

function validateSkills(agent: Agent, skills: readonly AgentSkill[]): void {
  for (const skill of skills) {
    if (!skill.id || !skill.name || skill.tags.length === 0) {
      throw new Error(`${agent.node.path}: skill "${skill.id ?? skill.name}" needs an id, a name and at least one tag`);
    }
  }
}

function renderTool(tool: AgentTool, namespace: string): kagent.AgentSpecDeclarativeTools {
  if (Agent.isAgent(tool)) {
    return {
      type: kagent.AgentSpecDeclarativeToolsType.AGENT,
      agent: { apiGroup: 'kagent.dev', kind: 'Agent', name: tool.name, namespace: tool.namespace },
    };
  }
  const selection = withApprovals(asSelection(tool));
  return {
    type: kagent.AgentSpecDeclarativeToolsType.MCP_SERVER,
    mcpServer: {
      // Without kind the controller looks for a kmcp MCPServer, not a RemoteMCPServer.
      apiGroup: 'kagent.dev',
      kind: 'RemoteMCPServer',
      name: selection.server.name,
      namespace: selection.server.namespace === namespace ? undefined : selection.server.namespace,
      toolNames: selection.toolNames?.length ? [...selection.toolNames] : undefined,
      requireApproval: selection.requireApproval?.length ? [...selection.requireApproval] : undefined,
    },
  };
}

function renderSkill(skill: AgentSkill): kagent.AgentSpecDeclarativeA2AConfigSkills {
  return {
    id: skill.id,
    name: skill.name,
    description: skill.description,
    tags: [...skill.tags],
    examples: skill.examples ? [...skill.examples] : undefined,
    inputModes: ['text'],
    outputModes: ['text'],
  };
}

function renderAllowedNamespaces(allowed: AllowedNamespaces | undefined): kagent.AgentSpecAllowedNamespaces | undefined {
  if (!allowed) return undefined;
  if ('from' in allowed) return { from: allowed.from as kagent.AgentSpecAllowedNamespacesFrom };
  return {
    from: kagent.AgentSpecAllowedNamespacesFrom.SELECTOR,
    selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...allowed.namespaces] }] },
  };
}

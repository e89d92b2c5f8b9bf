import { k8s } from '../core/k8s';
import { Construct, type IConstruct } from 'constructs';
import { Agent, type AgentProps } from '../agents/agent';
import { Orchestrator, type OrchestratorProps } from '../agents/orchestrator';
import type { ModelConfigInput } from './config/platform-config';
import { ArgoApplication } from '../gitops/argo-application';
import { ArgoProject } from '../gitops/argo-project';
import { SyncWave } from '../core/sync-wave';
import { AnthropicModelConfig } from '../models/anthropic-model-config';
import type { ModelConfig } from '../models/model-config';
import { OllamaModelConfig } from '../models/ollama-model-config';
import { OpenAiModelConfig } from '../models/openai-model-config';
import { NamespaceFirewall, type PeerSelector } from '../namespaces/namespace-firewall';
import { PlatformFirewall } from './platform-firewall';
import { TalosNamespace } from '../namespaces/talos-namespace';
import { PlatformChart } from '../core/platform-chart';
import { RemoteMcpServer } from '../tools/remote-mcp-server';
import { assertDnsLabel } from '../core/names';
import type { ContainerResources } from '../core/resources';
import { AgentPlatform, type AddAgentOptions } from './agent-platform';
import { chatGroupProblem } from '../core/chat-access';
import { brand, isBranded } from '../core/brand';
import { KAGENT_PORTS } from '../core/kagent-versions';
import { compareWritten, isQuantity, isWholeNumberQuantity, multiplyQuantity } from '../core/quantity';

/** What a team may run: its agent pods and what each one gets. */
export interface TeamQuota {
  /**
   * Agent pods the namespace may hold (one per agent and orchestrator); the ResourceQuota's `pods`.
   * @default 10
   */
  readonly agentPods?: number;
  /**
   * Memory each agent pod requests; the quota's `requests.memory` is `agentPods` times this.
   * @default '256Mi'
   */
  readonly memoryRequestPerAgent?: string;
  /**
   * Memory limit of each agent pod, also the LimitRange's per-container maximum; the quota's
   * `limits.memory` is `agentPods` times this.
   * @default '1Gi'
   */
  readonly memoryLimitPerAgent?: string;
  /**
   * CPU each agent pod requests; the quota's `requests.cpu` is `agentPods` times this.
   * @default '100m'
   */
  readonly cpuRequestPerAgent?: string;
}

/** The network path to an MCP server that the platform's ToolHive does not run. */
export interface McpServerPath {
  /**
   * Pods serving it, or `'internet'` for a public endpoint (private ranges excluded).
   */
  readonly to: PeerSelector | 'internet';
  /** TCP ports (pod ports: NetworkPolicy matches after the Service translated the port). */
  readonly ports: readonly number[];
}

export interface GrantMcpServerOptions {
  /**
   * The network path, required for servers the platform does not run (config.remoteMcpServers).
   * @default - derived for the platform's ToolHive servers and kagent's tool server
   */
  readonly path?: McpServerPath;
}

export interface AgentTeamProps {
  /** Team name (DNS-1123 label): names its folder, its Argo CD project and Applications. */
  readonly name: string;
  /**
   * The platform the team runs on.
   * @default - the scope, which must then be an AgentPlatform
   */
  readonly platform?: AgentPlatform;
  /**
   * The team's namespace (Pod Security `restricted`).
   * @default - the team name
   */
  readonly namespace?: string;
  /**
   * Pods and memory the namespace may use (ResourceQuota and LimitRange).
   * @default - 10 agent pods of 100m / 256Mi requested, 1Gi limit
   */
  readonly quota?: TeamQuota;
  /**
   * Shared MCP servers granted up front (see {@link AgentTeam.grantMcpServer}).
   * @default []
   */
  readonly tools?: readonly RemoteMcpServer[];
  /**
   * Models by key, as in `config.models` (see {@link AgentTeam.addModel}).
   * @default {}
   */
  readonly models?: Readonly<Record<string, ModelConfigInput>>;
  /**
   * The Open WebUI group of the team's members: the team's exposed agents are readable by it alone (the
   * access Job, `openWebUi.access`, applies it; membership stays Open WebUI's or its SSO's). An agent's
   * `AddAgentOptions.access` overrides it; `access: { groups: [] }` opens an agent to every user.
   * @default - the team name
   * @example 'Research team'
   */
  readonly chatGroup?: string;
}

/** An agent of a team: the namespace is the team's, resources default to the team's per-agent share. */
export type TeamAgentProps = Omit<AgentProps, 'namespace'>;
/** An orchestrator of a team. */
export type TeamOrchestratorProps = Omit<OrchestratorProps, 'namespace'>;

/** kagent's controller port (A2A, sessions) and an agent pod's A2A port. */
const KAGENT_TOOLS_PORT = 8084;

/**
 * A team on an {@link AgentPlatform}: its own restricted namespace, ModelConfigs, agents and orchestrators,
 * a default-deny firewall opened only for the paths it declares (its models, the MCP servers it is granted,
 * the kagent controller; the matching ingress on the platform's Ollama, ToolHive and kagent namespaces), a
 * ResourceQuota and LimitRange from {@link TeamQuota}, and its own Argo CD AppProject that may deploy only
 * into its namespace. Folders: `<prefix>teams/<team>/namespace` (synced by the platform's project: the
 * namespace, quota and policies) and `<prefix>teams/<team>/agents` (synced by the team's project).
 */
export class AgentTeam extends Construct {
  /** Returns true if `x` is an AgentTeam. */
  public static isAgentTeam(x: unknown): x is AgentTeam {
    return isBranded(x, 'AgentTeam');
  }

  public readonly name: string;
  public readonly platform: AgentPlatform;
  public readonly namespace: TalosNamespace;
  /** The chart of the namespace, quota, limits and firewall (platform project). */
  public readonly namespaceChart: PlatformChart;
  /** The chart of the ModelConfigs, MCP registrations and agents (team project). */
  public readonly agentsChart: PlatformChart;
  public readonly firewall: NamespaceFirewall;
  public readonly project: ArgoProject;
  public readonly application: ArgoApplication;
  public readonly quota: Required<TeamQuota>;
  /** The Open WebUI group whose members see the team's agents. */
  public readonly chatGroup: string;
  private readonly models = new Map<string, ModelConfig>();
  private readonly grants = new Map<string, RemoteMcpServer>();
  private readonly agentsByName = new Map<string, Agent>();
  private readonly opened = new Set<string>();

  constructor(scope: Construct, id: string, props: AgentTeamProps) {
    super(scope, id);
    brand(this, 'AgentTeam');
    this.platform = props.platform ?? platformOf(this, scope);
    this.name = props.name;
    assertDnsLabel(this, 'name', this.name);
    this.quota = resolveQuota(this, props.quota ?? {});
    this.chatGroup = props.chatGroup ?? this.name;
    const groupProblem = chatGroupProblem(this.chatGroup);
    if (groupProblem) throw new Error(`${this.node.path}: chatGroup ${groupProblem}`);
    const namespace = props.namespace ?? this.name;
    assertOwnNamespace(this, this.platform, namespace);
    this.platform.kagent.watchNamespace(namespace);
    const folder = `${folderPrefix(this.platform)}teams/${this.name}`;
    this.namespaceChart = new PlatformChart(this, 'namespace', { folder: `${folder}/namespace`, namespace });
    this.namespace = new TalosNamespace(this.namespaceChart, 'Namespace', { name: namespace, labels: { 'platform.agents/team': this.name } });
    this.agentsChart = new PlatformChart(this, 'agents', { folder: `${folder}/agents`, namespace });
    this.renderLimits();
    // Agents never call the Kubernetes API, so the firewall needs no API server access.
    this.firewall = new NamespaceFirewall(this.namespaceChart, 'firewall', { namespace: this.namespace });
    this.openControllerPaths();
    const gitops = this.gitopsApplications();
    this.project = gitops.project;
    this.application = gitops.application;
    for (const server of props.tools ?? []) this.grantMcpServer(server);
    for (const [key, model] of Object.entries(props.models ?? {})) this.addModel(key, model);
    this.node.addValidation({ validate: () => this.problems() });
  }

  /**
   * Adds a ModelConfig in the team's namespace: an Ollama model is served by the platform's shared Ollama
   * (the server pulls it; the path is opened at both ends), OpenAI and Anthropic models get HTTPS egress.
   */
  public addModel(key: string, model: ModelConfigInput): ModelConfig {
    if (this.models.has(key)) throw new Error(`${this.node.path}: team "${this.name}" already has a model "${key}"; use another key`);
    const id = `model-${key}`;
    let config: ModelConfig;
    switch (model.provider) {
      case 'ollama': {
        const ollama = this.platform.ollama;
        if (!ollama)
          throw new Error(`${this.node.path}: model "${key}" is an Ollama model, but the platform has no Ollama; set config.ollama or use another provider`);
        config = new OllamaModelConfig(this.agentsChart, id, { ollama, model: model.model, options: model.options });
        this.openOllama();
        break;
      }
      case 'openai':
        config = new OpenAiModelConfig(this.agentsChart, id, { model: model.model, apiKeySecret: model.apiKeySecret, baseUrl: model.baseUrl });
        this.openOnce('models-internet', () =>
          this.firewall.allowInternetEgress({ name: 'models-internet', reason: `Team ${this.name} calls hosted model providers`, ports: [443] }),
        );
        break;
      case 'anthropic':
        config = new AnthropicModelConfig(this.agentsChart, id, { model: model.model, apiKeySecret: model.apiKeySecret, maxTokens: model.maxTokens });
        this.openOnce('models-internet', () =>
          this.firewall.allowInternetEgress({ name: 'models-internet', reason: `Team ${this.name} calls hosted model providers`, ports: [443] }),
        );
        break;
    }
    this.models.set(key, config);
    return config;
  }

  /** A model of the team by key. */
  public model(key: string): ModelConfig {
    const model = this.models.get(key);
    if (!model)
      throw new Error(
        `${this.node.path}: team "${this.name}" has no model "${key}"; known: ${[...this.models.keys()].join(', ') || 'none'}; add it with addModel`,
      );
    return model;
  }

  /**
   * Grants the team a shared MCP server (e.g. `platform.mcpServer('searxng')`): registers it in the team's
   * namespace and opens the path at both ends. Returns the team's registration, the one its agents use.
   */
  public grantMcpServer(server: RemoteMcpServer | string, options: GrantMcpServerOptions = {}): RemoteMcpServer {
    const shared = typeof server === 'string' ? this.platform.mcpServer(server) : server;
    if (!RemoteMcpServer.isRemoteMcpServer(shared))
      throw new Error(`${this.node.path}: grantMcpServer needs a RemoteMcpServer (e.g. platform.mcpServer("searxng")) or its name`);
    const existing = this.grants.get(shared.name);
    if (existing) return existing;
    this.openMcpPath(shared, options.path);
    // A server the team registered in its own namespace is used as it is; a shared one is registered again there.
    const registration =
      shared.namespace === this.namespace.name
        ? shared
        : new RemoteMcpServer(this.agentsChart, `mcp-${shared.name}`, {
            name: shared.name,
            description: shared.description,
            url: shared.url,
            protocol: shared.protocol,
            timeout: shared.timeout,
            sseReadTimeout: shared.sseReadTimeout,
            knownTools: shared.knownTools,
            writeTools: shared.writeTools,
          });
    this.grants.set(shared.name, registration);
    return registration;
  }

  /** The team's registration of a granted MCP server. */
  public mcpServer(name: string): RemoteMcpServer {
    const granted = this.grants.get(name);
    if (!granted)
      throw new Error(
        `${this.node.path}: MCP server "${name}" is not granted to team "${this.name}"; call grantMcpServer("${name}") first (granted: ${[...this.grants.keys()].join(', ') || 'none'})`,
      );
    return granted;
  }

  /** Adds a specialist agent in the team's namespace, offered in Open WebUI as `<namespace>/<name>` unless `expose` is false. */
  public addAgent(id: string, props: TeamAgentProps, options: AddAgentOptions = {}): Agent {
    return this.register(new Agent(this.agentsChart, id, { ...props, resources: this.resourcesFor(id, props.resources) }), options);
  }

  /** Adds an orchestrator in the team's namespace, offered in Open WebUI unless `expose` is false. */
  public addOrchestrator(id: string, props: TeamOrchestratorProps, options: AddAgentOptions = {}): Orchestrator {
    return this.register(new Orchestrator(this.agentsChart, id, { ...props, resources: this.resourcesFor(id, props.resources) }), options);
  }

  /** An agent of the team by name. */
  public agent(name: string): Agent {
    const agent = this.agentsByName.get(name);
    if (!agent) throw new Error(`${this.node.path}: team "${this.name}" has no agent "${name}"; known: ${[...this.agentsByName.keys()].join(', ') || 'none'}`);
    return agent;
  }

  /** Every agent of the team, in creation order. */
  public get agents(): readonly Agent[] {
    return [...this.agentsByName.values()];
  }

  private register<T extends Agent>(agent: T, options: AddAgentOptions): T {
    this.agentsByName.set(agent.name, agent);
    if (options.expose ?? true) {
      // The team's group unless the agent names its own groups; its users and roles are kept either way.
      const access = { ...options.access, groups: options.access?.groups ?? [this.chatGroup] };
      this.platform.exposeTeamAgent(agent, access, options.access?.groups === undefined);
    }
    return agent;
  }

  /** The team's per-agent share, or the agent's own resources if they fit under the LimitRange. */
  private resourcesFor(id: string, resources: ContainerResources | undefined): ContainerResources {
    const q = this.quota;
    if (!resources) return { cpuRequest: q.cpuRequestPerAgent, memoryRequest: q.memoryRequestPerAgent, memoryLimit: q.memoryLimitPerAgent };
    if (resources.memoryLimit && isQuantity(resources.memoryLimit) && compareWritten(resources.memoryLimit, q.memoryLimitPerAgent) > 0) {
      throw new Error(
        `${this.agentsChart.node.path}/${id}: team "${this.name}": memoryLimit ${resources.memoryLimit} is above the team's ${q.memoryLimitPerAgent} per agent (its LimitRange maximum); ` +
          'lower it or raise quota.memoryLimitPerAgent',
      );
    }
    return resources;
  }

  /** Checks that need every agent and tool: grants, pod count, per-pod memory. */
  private problems(): string[] {
    const problems: string[] = [];
    const registrations = new Set(this.grants.values());
    for (const agent of this.agents) {
      for (const { server } of agent.mcpTools) {
        if (registrations.has(server)) continue;
        problems.push(
          `${agent.node.path}: team "${this.name}": agent "${agent.name}" uses MCP server "${server.namespace}/${server.name}", which is not granted to the team; ` +
            `grant it with team.grantMcpServer("${server.name}") and give the agent team.mcpServer("${server.name}")`,
        );
      }
    }
    if (this.agents.length > this.quota.agentPods) {
      problems.push(
        `${this.node.path}: team "${this.name}" has ${this.agents.length} agents but its quota allows ${this.quota.agentPods} agent pods; raise quota.agentPods or remove agents`,
      );
    }
    return problems;
  }

  private renderLimits(): void {
    const q = this.quota;
    const ns = this.namespace.name;
    new k8s.KubeResourceQuota(this.namespaceChart, 'Quota', {
      metadata: { name: 'team-quota', namespace: ns },
      spec: {
        hard: {
          pods: k8s.Quantity.fromString(String(q.agentPods)),
          'requests.cpu': k8s.Quantity.fromString(multiplyQuantity(q.cpuRequestPerAgent, q.agentPods)),
          'requests.memory': k8s.Quantity.fromString(multiplyQuantity(q.memoryRequestPerAgent, q.agentPods)),
          'limits.memory': k8s.Quantity.fromString(multiplyQuantity(q.memoryLimitPerAgent, q.agentPods)),
        },
      },
    });
    // Defaults let pods that do not set resources start under the quota; max caps one container.
    new k8s.KubeLimitRange(this.namespaceChart, 'Limits', {
      metadata: { name: 'team-limits', namespace: ns },
      spec: {
        limits: [
          {
            type: 'Container',
            default: { memory: k8s.Quantity.fromString(q.memoryLimitPerAgent) },
            defaultRequest: { cpu: k8s.Quantity.fromString(q.cpuRequestPerAgent), memory: k8s.Quantity.fromString(q.memoryRequestPerAgent) },
            max: { memory: k8s.Quantity.fromString(q.memoryLimitPerAgent) },
          },
        ],
      },
    });
  }

  /** Agents reach the controller (sessions, A2A to other agents); the controller reaches the agents' A2A port. */
  private openControllerPaths(): void {
    const kagent = this.platform.kagent;
    const controller = { namespace: kagent.namespace, podLabels: kagent.controllerPodLabels };
    const team = this.namespace.name;
    this.firewall.allowEgress(controller, {
      name: 'agents-to-kagent',
      reason: `Team ${this.name}'s agents call the kagent controller`,
      ports: [KAGENT_PORTS.controller],
    });
    this.firewall.allowIngress(controller, {
      name: 'agents-from-kagent',
      reason: 'The kagent controller forwards A2A requests to the agents',
      ports: [KAGENT_PORTS.agent],
    });
    const wall = platformFirewall(this, kagent.namespace);
    wall.allowIngress(
      { namespace: team },
      {
        name: `controller-from-${team}`,
        reason: `Team ${this.name}'s agents call the controller`,
        ports: [KAGENT_PORTS.controller],
        podLabels: kagent.controllerPodLabels,
      },
    );
    wall.allowEgress(
      { namespace: team },
      {
        name: `controller-to-${team}`,
        reason: `The controller forwards A2A requests to team ${this.name}'s agents`,
        ports: [KAGENT_PORTS.agent],
        podLabels: kagent.controllerPodLabels,
      },
    );
  }

  private openOllama(): void {
    const ollama = this.platform.ollama!;
    this.openOnce('ollama', () => {
      this.firewall.allowEgress(
        { namespace: ollama.namespace, podLabels: ollama.podLabels },
        { name: 'agents-to-ollama', reason: `Team ${this.name}'s agents call their models on the shared Ollama`, ports: [ollama.port] },
      );
      platformFirewall(this, ollama.namespace).allowIngress(
        { namespace: this.namespace.name },
        {
          name: `ollama-from-${this.namespace.name}`,
          reason: `Team ${this.name}'s agents call their models`,
          ports: [ollama.port],
          podLabels: ollama.podLabels,
        },
      );
    });
  }

  /** Opens the path to a shared MCP server: its ToolHive proxy, kagent's tool server, or the given path. */
  private openMcpPath(server: RemoteMcpServer, path: McpServerPath | undefined): void {
    const team = this.namespace.name;
    const rule = { name: `agents-to-mcp-${server.name}`, reason: `Team ${this.name} is granted MCP server ${server.name}` };
    const toolhive = this.platform.tools.toolhiveServers.find((s) => this.platform.tools.registrations.get(s.name) === server);
    if (toolhive) {
      this.firewall.allowEgress({ namespace: toolhive.namespace, podLabels: toolhive.podLabels }, { ...rule, ports: [toolhive.proxyPort] });
      platformFirewall(this, toolhive.namespace).allowIngress(
        { namespace: team },
        {
          name: `mcp-${server.name}-from-${team}`,
          reason: `Team ${this.name} is granted MCP server ${server.name}`,
          ports: [toolhive.proxyPort],
          podLabels: toolhive.podLabels,
        },
      );
      return;
    }
    const kagent = this.platform.kagent;
    if (kagent.toolServer !== 'off' && server.url === kagent.toolsUrl) {
      this.firewall.allowEgress({ namespace: kagent.namespace, podLabels: kagent.toolsPodLabels }, { ...rule, ports: [KAGENT_TOOLS_PORT] });
      platformFirewall(this, kagent.namespace).allowIngress(
        { namespace: team },
        {
          name: `tools-from-${team}`,
          reason: `Team ${this.name} is granted kagent's tool server`,
          ports: [KAGENT_TOOLS_PORT],
          podLabels: kagent.toolsPodLabels,
        },
      );
      return;
    }
    if (!path) {
      throw new Error(
        `${this.node.path}: MCP server "${server.name}" (${server.url}) is not run by the platform's ToolHive, so its network path is unknown; ` +
          `pass it: grantMcpServer(server, { path: { to: { namespace: "<its namespace>" }, ports: [<pod port>] } }) or { to: "internet", ports: [443] }`,
      );
    }
    if (path.to === 'internet') this.firewall.allowInternetEgress({ ...rule, ports: path.ports });
    else this.firewall.allowEgress(path.to, { ...rule, ports: path.ports });
  }

  private openOnce(key: string, open: () => void): void {
    if (this.opened.has(key)) return;
    this.opened.add(key);
    open();
  }

  /**
   * The team's AppProject (destinations: only its namespace; no cluster-scoped kinds; only kagent kinds) and
   * two Applications in the platform's Applications folder: the namespace folder in the platform's project
   * (a Namespace is cluster-scoped, and quota and policies are the platform's to set), the agents folder in the team's.
   */
  private gitopsApplications(): { project: ArgoProject; application: ArgoApplication } {
    const gitops = this.platform.gitops;
    const argocd = this.platform.charts.argocd;
    const git = this.platform.config.gitops;
    const prefix = clusterPrefix(this.platform);
    const project = new ArgoProject(argocd, `team-${this.name}-project`, {
      name: `${prefix}team-${this.name}`,
      argocdNamespace: gitops.argocdNamespace,
      description: `Team ${this.name}: agents, models and MCP registrations in namespace ${this.namespace.name}`,
      destinationServer: gitops.destinationServer,
      clusterResourceWhitelist: [],
      namespaceResourceWhitelist: TEAM_RESOURCE_KINDS,
    });
    const common = { argocdNamespace: gitops.argocdNamespace, destinationServer: gitops.destinationServer, namespace: this.namespace.name };
    new ArgoApplication(argocd, `team-${this.name}-namespace`, {
      ...common,
      name: `${prefix}team-${this.name}-namespace`,
      project: gitops.project,
      wave: SyncWave.NAMESPACES,
      cascadeDelete: false,
      directory: { git, folder: this.namespaceChart.folder },
    });
    const application = new ArgoApplication(argocd, `team-${this.name}`, {
      ...common,
      name: `${prefix}team-${this.name}`,
      project,
      wave: SyncWave.CUSTOM_RESOURCES,
      customResources: true,
      directory: { git, folder: this.agentsChart.folder },
    });
    return { project, application };
  }
}

/** What a team's project may create: kagent's custom resources in its namespace, nothing cluster-scoped. */
export const TEAM_RESOURCE_KINDS = [
  { group: 'kagent.dev', kind: 'Agent' },
  { group: 'kagent.dev', kind: 'ModelConfig' },
  { group: 'kagent.dev', kind: 'RemoteMCPServer' },
] as const;

/** The namespaces of every team of a platform. */
const TEAM_NAMESPACES = new WeakMap<AgentPlatform, Set<string>>();
/** The names of every team of a platform. */
const TEAM_NAMES = new WeakMap<AgentPlatform, Set<string>>();

function platformOf(team: IConstruct, scope: Construct): AgentPlatform {
  if (scope instanceof AgentPlatform) return scope;
  throw new Error(`${team.node.path}: create the team on an AgentPlatform (new AgentTeam(platform, id, props)) or pass props.platform`);
}

function assertOwnNamespace(team: AgentTeam, platform: AgentPlatform, namespace: string): void {
  assertDnsLabel(team, 'namespace', namespace);
  const names = TEAM_NAMES.get(platform) ?? new Set<string>();
  if (names.has(team.name))
    throw new Error(
      `${team.node.path}: the platform already has a team "${team.name}"; team names name folders, projects and Applications, so give each team its own`,
    );
  const taken = Object.values(platform.namespaces)
    .filter((ns): ns is TalosNamespace => ns !== undefined)
    .map((ns) => ns.name);
  const others = TEAM_NAMESPACES.get(platform) ?? new Set<string>();
  if (taken.includes(namespace) || others.has(namespace)) {
    throw new Error(
      `${team.node.path}: namespace "${namespace}" already belongs to the platform or another team (${[...taken, ...others].join(', ')}); give the team its own namespace`,
    );
  }
  TEAM_NAMESPACES.set(platform, others.add(namespace));
  TEAM_NAMES.set(platform, names.add(team.name));
}

function resolveQuota(team: IConstruct, quota: TeamQuota): Required<TeamQuota> {
  const resolved = {
    agentPods: quota.agentPods ?? 10,
    memoryRequestPerAgent: quota.memoryRequestPerAgent ?? '256Mi',
    memoryLimitPerAgent: quota.memoryLimitPerAgent ?? '1Gi',
    cpuRequestPerAgent: quota.cpuRequestPerAgent ?? '100m',
  };
  if (!Number.isInteger(resolved.agentPods) || resolved.agentPods < 1) {
    throw new Error(`${team.node.path}: quota.agentPods must be a whole number ≥ 1, got ${resolved.agentPods}`);
  }
  for (const key of ['memoryRequestPerAgent', 'memoryLimitPerAgent', 'cpuRequestPerAgent'] as const) {
    if (!isWholeNumberQuantity(resolved[key])) {
      throw new Error(
        `${team.node.path}: quota.${key} "${resolved[key]}" must be a whole-number quantity such as "512Mi", "1Gi" or "250m" (the quota multiplies it)`,
      );
    }
  }
  if (compareWritten(resolved.memoryRequestPerAgent, resolved.memoryLimitPerAgent) > 0) {
    throw new Error(
      `${team.node.path}: quota.memoryRequestPerAgent ${resolved.memoryRequestPerAgent} is above memoryLimitPerAgent ${resolved.memoryLimitPerAgent}; a pod cannot request more than its limit`,
    );
  }
  return resolved;
}

/** `clusters/<name>/` for a fleet member, '' otherwise (the platform's namespaces folder is `<prefix>namespaces`). */
function folderPrefix(platform: AgentPlatform): string {
  return platform.charts.namespaces.folder.slice(0, -'namespaces'.length);
}

/** `<cluster>-` for a fleet member (its AppOfApps prefixes the configured name), '' otherwise. */
function clusterPrefix(platform: AgentPlatform): string {
  const configured = platform.config.gitops.name;
  return platform.gitops.name.slice(0, platform.gitops.name.length - configured.length);
}

/** The platform's firewall of a namespace, to open the other end of a team's path. */
function platformFirewall(team: AgentTeam, namespace: string): NamespaceFirewall {
  const platformWall = team.platform.charts.namespaces.node.tryFindChild('firewall');
  const wall = platformWall instanceof PlatformFirewall ? platformWall.firewalls.find((f) => f.namespace === namespace) : undefined;
  if (!wall)
    throw new Error(`${team.node.path}: the platform has no firewall for namespace "${namespace}", so team "${team.name}"'s path cannot be opened at that end`);
  return wall;
}

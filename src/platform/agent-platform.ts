import { Construct } from 'constructs';
import { Agent, type AgentProps } from '../agents/agent';
import { KagentInstall, type KagentBuiltInAgent } from '../agents/kagent-install';
import { KagentPostgres } from '../agents/kagent-postgres';
import { Orchestrator, type OrchestratorProps } from '../agents/orchestrator';
import { Topology } from '../reports/topology';
import { A2aBridge } from '../chat/a2a-bridge';
import { bridgeBundle } from '../chat/bridge-bundle';
import { OpenWebUi } from '../chat/open-webui';
import { OpenWebUiPipe } from '../chat/open-webui-pipe';
import { OpenWebUiAccess } from '../chat/open-webui-access';
import { assertChatAccess, type ChatAccess } from '../core/chat-access';
import { parsePlatformConfig, type PlatformConfig, type PlatformConfigInput } from './config/platform-config';
import { AppOfApps, type ClusterTarget } from '../gitops/app-of-apps';
import { SyncWave } from '../core/sync-wave';
import type { ModelConfig } from '../models/model-config';
import { Ollama } from '../models/ollama';
import { PlatformFirewall } from './platform-firewall';
import { SecurityReport } from '../reports/security-report';
import { PlatformChart } from '../core/platform-chart';
import { SecretsInventory } from '../reports/secrets-inventory';
import type { RemoteMcpServer } from '../tools/remote-mcp-server';
import type { SecretKeyRef } from '../core/secret-ref';
import { buildConfiguredAgents } from './configured-agents';
import { buildModels } from './configured-models';
import { buildTools, type PlatformTools } from './configured-tools';
import { createNamespaces, type PlatformNamespaces } from './platform-namespaces';

export interface AgentPlatformOptions {
  /**
   * The bundled A2A bridge (tests pass a short stand-in to skip bundling).
   * @default - the bridge this package ships
   */
  readonly bridgeBundle?: string;
  /**
   * Folder prefix of every output folder, e.g. `clusters/homelab` for one cluster of a fleet.
   * @default - none: folders sit at the top of `dist/`
   */
  readonly folderPrefix?: string;
  /**
   * The cluster this platform runs on when one Argo CD manages several (see `Fleet`): its Applications deploy
   * there, are prefixed with its name, and the fleet's ApplicationSet replaces the root Application.
   * @default - the cluster Argo CD runs in
   */
  readonly cluster?: ClusterTarget;
}

/** The charts (one Argo CD Application each) a platform writes. */
export interface PlatformCharts {
  readonly namespaces: PlatformChart;
  readonly argocd: PlatformChart;
  readonly agents: PlatformChart;
  readonly ollama?: PlatformChart;
  readonly searxng?: PlatformChart;
  readonly toolhive?: PlatformChart;
  readonly chat?: PlatformChart;
}

/** Settings of an agent added in code besides the Agent's own. */
export interface AddAgentOptions {
  /**
   * Offer the agent in Open WebUI (bridge and Pipe).
   * @default true
   */
  readonly expose?: boolean;
  /**
   * Who may see and use the agent in the chat: Open WebUI `groups` (set by the access Job,
   * `openWebUi.access`), and a `users`/`roles` allow-list the bridge and the Pipe check.
   * @default - a team's agents: the team's group; others: every user
   */
  readonly access?: ChatAccess;
}

/**
 * The whole platform from one zod-validated config: Talos namespaces, Ollama and its models, ToolHive and
 * its MCP servers, kagent with the configured agents, Open WebUI with the bridge and the Pipe, the network
 * policies that follow from the components that exist, and the Argo CD app-of-apps. Every component but
 * kagent is optional; agents come from config or are added in code with {@link AgentPlatform.addAgent}.
 */
export class AgentPlatform extends Construct {
  /** The validated config, defaults applied. */
  public readonly config: PlatformConfig;
  public readonly charts: PlatformCharts;
  public readonly namespaces: PlatformNamespaces;
  public readonly gitops: AppOfApps;
  public readonly ollama?: Ollama;
  public readonly kagent: KagentInstall;
  public readonly tools: PlatformTools;
  public readonly bridge?: A2aBridge;
  public readonly openWebUi?: OpenWebUi;
  public readonly pipe?: OpenWebUiPipe;
  /** The Job that keeps Open WebUI's groups and agent access in step with Git, when `openWebUi.access` is set. */
  public readonly chatAccessSync?: OpenWebUiAccess;
  private ownedPostgres?: KagentPostgres;
  private readonly modelsByKey: ReadonlyMap<string, ModelConfig>;
  private readonly agentsByName = new Map<string, Agent>();
  /** Agents offered in Open WebUI; the chat constructs read it at synth time. */
  private readonly exposed: Agent[] = [];
  /** Who may use each exposed agent that sets an access; the chat constructs read it at synth time. */
  private readonly accessByAgent = new Map<Agent, ChatAccess>();
  /** Agents whose access is their team's default (not named by the user): no error without the access Job. */
  private readonly teamDefaults = new Set<Agent>();

  constructor(scope: Construct, id: string, input: PlatformConfigInput, options: AgentPlatformOptions = {}) {
    super(scope, id);
    this.config = parsePlatformConfig(input, `${this.node.path}: config`);
    const config = this.config;
    const folder = (name: string) => (options.folderPrefix ? `${options.folderPrefix.replace(/\/+$/, '')}/${name}` : name);
    const chart = (name: string, namespace?: string) => new PlatformChart(this, name, { folder: folder(name), namespace });

    const namespacesChart = chart('namespaces');
    this.namespaces = createNamespaces(namespacesChart, config);
    const argocd = chart('argocd');
    this.gitops = new AppOfApps(argocd, 'platform', {
      git: config.gitops,
      argocdNamespace: config.gitops.argocdNamespace,
      name: config.gitops.name,
      folder: argocd.folder,
      cluster: options.cluster,
    });

    const ollamaChart = this.namespaces.ollama && chart('ollama', this.namespaces.ollama.name);
    if (ollamaChart && config.ollama && this.namespaces.ollama) {
      const { gpuCount, extraModels, ...serving } = config.ollama;
      this.ollama = new Ollama(ollamaChart, 'ollama', {
        ...serving,
        namespace: this.namespaces.ollama,
        image: config.versions.images.ollama,
        models: extraModels,
        storageClassName: config.storageClassName,
        gpu: gpuCount ? { count: gpuCount } : undefined,
      });
    }

    const agentsChart = chart('agents', this.namespaces.kagent.name);
    this.modelsByKey = buildModels(agentsChart, config, this.ollama);
    this.kagent = this.installKagent(agentsChart);
    const searxngChart = this.namespaces.searxng && chart('searxng', this.namespaces.searxng.name);
    const toolhiveChart = this.namespaces.toolhive && chart('toolhive', this.namespaces.toolhive.name);
    this.tools = buildTools({ config, gitops: this.gitops, namespaces: this.namespaces, agentsChart, toolhiveChart, searxngChart, kagent: this.kagent });
    for (const agent of buildConfiguredAgents(agentsChart, config, this.modelsByKey, this.tools.registrations)) {
      const configured = config.agents.find((a) => a.name === agent.name);
      this.register(agent, { expose: configured?.expose, access: configured?.access });
    }

    const chatChart = this.namespaces.openWebUi && chart('openwebui', this.namespaces.openWebUi.name);
    const chat = chatChart ? this.buildChat(chatChart, options) : undefined;
    this.bridge = chat?.bridge;
    this.openWebUi = chat?.openWebUi;
    this.pipe = chat?.pipe;
    this.chatAccessSync = chat?.access;
    this.charts = {
      namespaces: namespacesChart,
      argocd,
      agents: agentsChart,
      ollama: ollamaChart,
      searxng: searxngChart,
      toolhive: toolhiveChart,
      chat: chatChart,
    };

    new PlatformFirewall(namespacesChart, 'firewall', {
      namespaces: this.namespaces,
      ollama: this.ollama,
      kagent: this.kagent,
      mcpServers: this.tools.toolhiveServers,
      searxng: this.tools.searxng,
      openWebUi: this.openWebUi,
      bridge: this.bridge,
      pipe: this.pipe,
      chatAccessSync: this.chatAccessSync,
      inClusterTools: this.tools.inClusterTools,
      postgres: this.postgres,
      kubernetesApi:
        config.network.cni === 'cilium'
          ? { cni: 'cilium', port: config.network.apiServerPort }
          : { cni: 'other', cidrs: config.network.apiServerCidrs, port: config.network.apiServerPort },
    });
    this.addToGitOps();
    new Topology(this, 'topology', { path: folder('TOPOLOGY.md') });
    const base = config.gitops.basePath.replace(/\/+$/, '');
    new SecretsInventory(this, 'secrets', {
      path: folder('SECRETS.md'),
      bootstrap: { namespacesPath: `${base}/${namespacesChart.folder}/`, rootApplicationPath: `${base}/${argocd.folder}/application-${this.gitops.name}.yaml` },
    });
    new SecurityReport(this, 'security', { path: folder('SECURITY.md') });
  }

  /** A model of the config by its key. */
  public model(key: string): ModelConfig {
    const model = this.modelsByKey.get(key);
    if (!model) throw new Error(`${this.node.path}: no model "${key}" in config.models; known: ${[...this.modelsByKey.keys()].join(', ')}`);
    return model;
  }

  /** An MCP server registered in kagent, by name (e.g. `azure-devops`, `searxng`, `grafana`, `kagent-tools`). */
  public mcpServer(name: string): RemoteMcpServer {
    const server = this.tools.registrations.get(name);
    if (!server) throw new Error(`${this.node.path}: no MCP server "${name}"; configured: ${[...this.tools.registrations.keys()].join(', ') || 'none'}`);
    return server;
  }

  /** An agent of the platform by name. */
  public agent(name: string): Agent {
    const agent = this.agentsByName.get(name);
    if (!agent) throw new Error(`${this.node.path}: no agent "${name}"; known: ${[...this.agentsByName.keys()].join(', ') || 'none'}`);
    return agent;
  }

  /** Every agent, config first, then those added in code. */
  public get agents(): readonly Agent[] {
    return [...this.agentsByName.values()];
  }

  /** Adds a specialist agent in the agents chart (its namespace unless `props.namespace` says otherwise). */
  public addAgent(id: string, props: AgentProps, options: AddAgentOptions = {}): Agent {
    return this.register(new Agent(this.charts.agents, id, props), options);
  }

  /** Adds an orchestrator that delegates to `props.delegates`. */
  public addOrchestrator(id: string, props: OrchestratorProps, options: AddAgentOptions = {}): Orchestrator {
    return this.register(new Orchestrator(this.charts.agents, id, props), options);
  }

  /**
   * Offers an agent created elsewhere (e.g. by an {@link AgentTeam}) in Open WebUI, through the bridge and the
   * Pipe; agents outside kagent's namespace appear as `<namespace>/<name>`. `access` says who may see and use it
   * (see {@link AddAgentOptions.access}); exposing an agent again replaces its access.
   */
  public expose(agent: Agent, access?: ChatAccess): void {
    assertChatAccess(agent, 'access', access);
    if (!this.exposed.includes(agent)) this.exposed.push(agent);
    if (access) this.accessByAgent.set(agent, access);
  }

  /** Who may use each exposed agent that sets an access (agents missing here are open to every user). */
  public get chatAccess(): ReadonlyMap<Agent, ChatAccess> {
    return this.accessByAgent;
  }

  private register<T extends Agent>(agent: T, options: AddAgentOptions): T {
    this.agentsByName.set(agent.name, agent);
    if (options.expose ?? true) this.expose(agent, options.access);
    return agent;
  }

  private installKagent(agentsChart: PlatformChart): KagentInstall {
    const config = this.config;
    if (!this.ollama) throw new Error(`${this.node.path}: config.ollama is required: kagent's default ModelConfig is served by Ollama`);
    const defaultModel = Object.values(config.models).find((m) => m.provider === 'ollama');
    if (!defaultModel) throw new Error(`${this.node.path}: config.models needs an Ollama model for kagent's default ModelConfig`);
    const { database, defaultModelOptions, ...kagent } = config.kagent;
    const install = new KagentInstall(agentsChart, 'kagent', {
      ...kagent,
      namespace: this.namespaces.kagent,
      ollama: this.ollama,
      defaultModel: defaultModel.model,
      defaultModelOptions: defaultModelOptions ?? (defaultModel.provider === 'ollama' ? defaultModel.options : undefined),
      version: config.versions.kagent,
      builtInAgents: kagent.builtInAgents as KagentBuiltInAgent[],
      grafanaMcpImage: config.versions.images.mcpGrafana,
      database: database.type === 'owned-postgres' ? { type: 'postgres', server: this.ownPostgres(agentsChart, database) } : database,
    });
    this.gitops.addHelmReleases(install.helmReleases);
    return install;
  }

  /** The Postgres the platform runs for kagent's sessions (0.9 has no SQLite; the chart's own is dev-grade). */
  private ownPostgres(agentsChart: PlatformChart, database: { storageSize?: string; passwordSecret?: SecretKeyRef; urlSecret?: SecretKeyRef }): KagentPostgres {
    this.ownedPostgres = new KagentPostgres(agentsChart, 'kagent-postgres', {
      ...database,
      namespace: this.namespaces.kagent,
      image: this.config.versions.images.postgres,
      storageClassName: this.config.storageClassName,
    });
    return this.ownedPostgres;
  }

  /** The Postgres kagent keeps sessions in, when the platform runs it. */
  public get postgres(): KagentPostgres | undefined {
    return this.ownedPostgres;
  }

  private buildChat(
    chatChart: PlatformChart,
    options: AgentPlatformOptions,
  ): { bridge?: A2aBridge; openWebUi: OpenWebUi; pipe?: OpenWebUiPipe; access?: OpenWebUiAccess } {
    const chat = this.config.openWebUi!;
    const namespace = this.namespaces.openWebUi!;
    const images = this.config.versions.images;
    if (!this.ollama) throw new Error(`${this.node.path}: config.openWebUi needs config.ollama (Open WebUI chats with Ollama models)`);
    const bridge = chat.bridge
      ? new A2aBridge(chatChart, 'bridge', {
          namespace,
          kagent: this.kagent,
          agents: this.exposed,
          bundle: options.bridgeBundle ?? bridgeBundle(),
          image: images.node,
          apiKeys: chat.bridgeApiKeys,
          identity: chat.identity,
          access: this.accessByAgent,
        })
      : undefined;
    if (chat.taskModel) this.ollama.addModel(chat.taskModel);
    const openWebUi = new OpenWebUi(chatChart, 'open-webui', {
      namespace,
      secretKeySecret: chat.secretKeySecret,
      ollama: this.ollama,
      bridge,
      image: images.openWebUi,
      storageSize: chat.storageSize,
      storageClassName: this.config.storageClassName,
      taskModel: chat.taskModel,
      kagentMcp: chat.kagentMcp && { ...chat.kagentMcp, kagent: this.kagent, userIdFrom: chat.identity?.userIdFrom },
      ingress: chat.host ? { host: chat.host, ingressClassName: chat.ingressClassName } : undefined,
    });
    const pipe = chat.pipe
      ? new OpenWebUiPipe(chatChart, 'pipe', {
          openWebUi,
          kagent: this.kagent,
          agents: this.exposed,
          image: images.openWebUi,
          register: chat.pipe.register,
          identity: chat.identity,
          access: this.accessByAgent,
        })
      : undefined;
    const access = chat.access
      ? new OpenWebUiAccess(chatChart, 'access', {
          openWebUi,
          kagent: this.kagent,
          agents: this.exposed,
          access: this.accessByAgent,
          bridge: bridge !== undefined,
          pipeFunctionId: pipe?.functionId,
          adminApiKeySecret: chat.access.adminApiKeySecret,
          image: images.openWebUi,
        })
      : undefined;
    if (!access) this.node.addValidation({ validate: () => this.groupsWithoutAccessJob() });
    return { bridge, openWebUi, pipe, access };
  }

  /** Groups set explicitly (in config or `addAgent`) take effect only through the access Job. */
  private groupsWithoutAccessJob(): string[] {
    const named = [...this.accessByAgent].find(([agent, access]) => access.groups?.length && !this.teamDefaults.has(agent));
    if (!named) return [];
    return [
      `${this.node.path}: agent "${named[0].name}" names Open WebUI groups (${named[1].groups!.join(', ')}), but nothing applies them; set openWebUi.access.adminApiKeySecret to run the access Job`,
    ];
  }

  /** For {@link AgentTeam}: exposes a team agent whose access defaults to the team's group. */
  public exposeTeamAgent(agent: Agent, access: ChatAccess, isDefault: boolean): void {
    this.expose(agent, access);
    if (isDefault) this.teamDefaults.add(agent);
    else this.teamDefaults.delete(agent);
  }

  private addToGitOps(): void {
    const { charts, gitops } = this;
    gitops.addChart(charts.namespaces, { wave: SyncWave.NAMESPACES });
    for (const workload of [charts.ollama, charts.searxng, charts.chat]) if (workload) gitops.addChart(workload, { wave: SyncWave.WORKLOADS });
    if (charts.toolhive) gitops.addChart(charts.toolhive, { wave: SyncWave.CUSTOM_RESOURCES, customResources: true });
    gitops.addChart(charts.agents, { wave: SyncWave.CUSTOM_RESOURCES, customResources: true });
  }
}

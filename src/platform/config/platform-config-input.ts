/**
 * The platform config as users write it: every field with what it does, its default and an example. The zod
 * schema in `platform-config-schema.ts` validates the same shape and is checked against these types at compile
 * time (in `platform-config.ts`), so the two cannot drift; `test/config/platform-config-input.test.ts` checks
 * every `@default` against the schema's.
 */
import type { KagentVersion } from '../../core/kagent-versions';
import type { OllamaServing } from '../../models/ollama-serving';
import type { SecretKeyRef } from '../../core/secret-ref';

/**
 * The whole platform in one object, validated by {@link parsePlatformConfig} before anything is built, so a bad
 * value fails with its field path. Only `gitops` and `models` are required: every component but kagent is
 * optional and appears when its section is set.
 * @example
 * ```ts
 * const config: PlatformConfigInput = {
 *   gitops: { repoUrl: 'https://github.com/me/lab.git', targetRevision: 'main' },
 *   ollama: {},
 *   models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
 *   agents: [{ name: 'helper', description: 'Answers questions', model: 'small', prompt: { inline: 'You are helpful.' } }],
 * };
 * new AgentPlatform(app, 'lab', config);
 * ```
 */
export interface PlatformConfigInput {
  /**
   * Where Argo CD reads the synthesized tree from, and the names of its root objects.
   * @example { repoUrl: 'https://github.com/homelab/agent-platform.git', targetRevision: 'main' }
   */
  readonly gitops: GitopsConfig;
  /**
   * Chart and image versions; each field overrides one pin of {@link VERSIONS}.
   * @default - every pin of VERSIONS
   * @example { kagent: '0.7.23', images: { ollama: 'ollama/ollama:0.32.15' } }
   */
  readonly versions?: VersionsConfig;
  /**
   * The namespace of each component; each must be its own.
   * @default - the default of each field
   * @example { ollama: 'ollama-agents' }
   */
  readonly namespaces?: NamespacesConfig;
  /**
   * StorageClass of every PersistentVolumeClaim (Talos ships none as default).
   * @default - the cluster's default StorageClass
   * @example 'local-path'
   */
  readonly storageClassName?: string;
  /**
   * Folder the agents' prompt files are read from, relative to the working directory (where synth runs).
   * @default '.'
   * @example 'app/prompts'
   */
  readonly promptDir?: string;
  /**
   * The Ollama server; kagent's default ModelConfig and Open WebUI need it. Omit it to run no Ollama.
   * @default - no Ollama
   * @example { numParallel: 4, keepAlive: '30m', signinKeySecret: { name: 'ollama-signin', key: 'id_ed25519' } }
   */
  readonly ollama?: OllamaConfig;
  /**
   * The models agents use, by key (a DNS label; agents name it in `model`). At least one; kagent's default
   * ModelConfig uses the first Ollama model.
   * @example { kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud', options: { num_ctx: '32768' } } }
   */
  readonly models: Readonly<Record<string, ModelConfigInput>>;
  /**
   * kagent's install: built-in agents, tool servers, session storage.
   * @default - the default of each field
   * @example { tools: true, database: { type: 'owned-postgres', storageSize: '5Gi' } }
   */
  readonly kagent?: KagentConfig;
  /**
   * The ToolHive operator. It is installed whenever a ToolHive MCP server (`azureDevOps`, `grafana`,
   * `searxng`) is configured; set `{}` to install it without one.
   * @default - installed only for the MCP servers that need it
   * @example {}
   */
  readonly toolhive?: ToolhiveConfig;
  /**
   * The Azure DevOps MCP server (ToolHive), registered as the MCP server `azure-devops`.
   * @default - none
   * @example { organization: 'contoso', patSecret: { name: 'azure-devops-pat', key: 'pat' }, domains: ['core', 'work-items'] }
   */
  readonly azureDevOps?: AzureDevOpsConfig;
  /**
   * The Grafana MCP server (ToolHive), registered as the MCP server `grafana`.
   * @default - none
   * @example { url: 'http://grafana.monitoring.svc.cluster.local:80', tokenSecret: { name: 'grafana-mcp-token', key: 'token' } }
   */
  readonly grafana?: GrafanaConfig;
  /**
   * The CNI, and how pods reach the Kubernetes API server (network policies need an enforcing CNI).
   * @default { cni: 'cilium', apiServerPort: 6443 }
   * @example { cni: 'other', apiServerCidrs: ['192.168.1.10/32'] }
   */
  readonly network?: NetworkConfig;
  /**
   * A private SearXNG and its MCP server (ToolHive), registered as the MCP server `searxng`.
   * @default - none
   * @example { secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } }
   */
  readonly searxng?: SearxngConfig;
  /**
   * MCP servers that run elsewhere, registered in kagent as they are; agents name them in `tools`.
   * @default []
   * @example [{ name: 'wiki', url: 'http://wiki-mcp.tools:8080/mcp', description: 'Searches the team wiki' }]
   */
  readonly remoteMcpServers?: readonly RemoteMcpServerConfig[];
  /**
   * The agents. An agent with `delegates` and no `prompt` is an orchestrator: its routing prompt is generated.
   * @default []
   * @example [{ name: 'research', description: 'Web research with cited sources', model: 'kimi', prompt: 'research.md', tools: ['searxng'] }]
   */
  readonly agents?: readonly AgentConfigInput[];
  /**
   * Open WebUI, the chat front end, with the routes to the agents. Needs `ollama`.
   * @default - no Open WebUI
   * @example { secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' }, host: 'chat.lab.example' }
   */
  readonly openWebUi?: OpenWebUiConfig;
}

/** `gitops`: the repository Argo CD syncs, and the names of the root objects. */
export interface GitopsConfig {
  /**
   * The Git repository holding the synthesized tree: an https://, ssh:// or git@ URL.
   * @example 'https://github.com/homelab/agent-platform.git'
   */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit Argo CD follows.
   * @example 'main'
   */
  readonly targetRevision: string;
  /**
   * Folder of the synthesized tree inside the repository.
   * @default 'dist'
   * @example 'clusters/homelab'
   */
  readonly basePath?: string;
  /**
   * Namespace Argo CD runs in (its Applications live there).
   * @default 'argocd'
   * @example 'gitops'
   */
  readonly argocdNamespace?: string;
  /**
   * Name of the root Application and of the AppProject (a DNS label).
   * @default 'agent-platform'
   * @example 'homelab'
   */
  readonly name?: string;
}

/** `versions`: overrides of the pins in {@link VERSIONS}. Images must be pinned to an exact tag or digest. */
export interface VersionsConfig {
  /**
   * kagent chart version; one of `SUPPORTED_KAGENT_VERSIONS` (validation uses that version's CRDs and values).
   * @default VERSIONS.kagent
   * @example '0.7.23'
   */
  readonly kagent?: KagentVersion;
  /**
   * ToolHive operator chart version, exact.
   * @default VERSIONS.toolhive
   * @example '0.44.0'
   */
  readonly toolhive?: string;
  /**
   * Container images, each pinned.
   * @default - every image of VERSIONS.images
   * @example { openWebUi: 'ghcr.io/open-webui/open-webui:v0.11.0' }
   */
  readonly images?: ImageVersionsConfig;
}

/** `versions.images`: one pinned image per component. */
export interface ImageVersionsConfig {
  /**
   * The Ollama server and its model pull Job.
   * @default VERSIONS.images.ollama
   * @example 'ollama/ollama:0.32.15'
   */
  readonly ollama?: string;
  /**
   * Open WebUI, its Pipe and sync Jobs.
   * @default VERSIONS.images.openWebUi
   * @example 'ghcr.io/open-webui/open-webui:v0.11.0'
   */
  readonly openWebUi?: string;
  /**
   * Node, which runs the A2A bridge bundle from a ConfigMap.
   * @default VERSIONS.images.node
   * @example 'node:24.21.0-alpine'
   */
  readonly node?: string;
  /**
   * SearXNG.
   * @default VERSIONS.images.searxng
   * @example 'searxng/searxng:2026.5.31-7159b8aed'
   */
  readonly searxng?: string;
  /**
   * The SearXNG MCP server.
   * @default VERSIONS.images.mcpSearxng
   * @example 'isokoliuk/mcp-searxng:2.0.0'
   */
  readonly mcpSearxng?: string;
  /**
   * The Grafana MCP server.
   * @default VERSIONS.images.mcpGrafana
   * @example 'grafana/mcp-grafana:1.1.0'
   */
  readonly mcpGrafana?: string;
  /**
   * The Azure DevOps MCP server, built from docker/azure-devops-mcp/Dockerfile and pushed to your registry.
   * @default VERSIONS.images.mcpAzureDevOps
   * @example 'registry.lab.example/azure-devops-mcp:2.9.0'
   */
  readonly mcpAzureDevOps?: string;
  /**
   * kagent's session database when the platform runs it (`kagent.database.type: 'owned-postgres'`).
   * @default VERSIONS.images.postgres
   * @example 'postgres:18.3-trixie'
   */
  readonly postgres?: string;
}

/** `namespaces`: one DNS-label namespace per component, all different. */
export interface NamespacesConfig {
  /**
   * kagent and the agents.
   * @default 'kagent'
   * @example 'agents'
   */
  readonly kagent?: string;
  /**
   * The Ollama server.
   * @default 'ollama'
   * @example 'ollama-agents'
   */
  readonly ollama?: string;
  /**
   * The ToolHive operator and its MCP servers.
   * @default 'toolhive-system'
   * @example 'mcp'
   */
  readonly toolhive?: string;
  /**
   * SearXNG.
   * @default 'searxng'
   * @example 'search'
   */
  readonly searxng?: string;
  /**
   * Open WebUI, the A2A bridge and the Pipe's Jobs.
   * @default 'open-webui'
   * @example 'chat'
   */
  readonly openWebUi?: string;
}

/** `ollama`: the Ollama server's serving settings and volume. */
export interface OllamaConfig extends OllamaServing {
  /**
   * Size of the model volume.
   * @default '100Gi'
   * @example '200Gi'
   */
  readonly storageSize?: string;
  /**
   * `nvidia.com/gpu` devices (with the `nvidia` RuntimeClass of Talos's nvidia-container-toolkit extension).
   * @default - CPU only
   * @example 1
   */
  readonly gpuCount?: number;
  /**
   * Secret holding an `ollama signin` key (`id_ed25519`) registered with ollama.com, for `:cloud` models.
   * Without it, sign the server in once by hand (dist/SECRETS.md says how); the key then stays on the volume.
   * @default - none
   * @example { name: 'ollama-signin', key: 'id_ed25519' }
   */
  readonly signinKeySecret?: SecretKeyRef;
  /**
   * Models to pull besides those in `models` and `openWebUi.taskModel`, each with a tag.
   * @default []
   * @example ['qwen3:8b', 'kimi-k2.6:cloud']
   */
  readonly extraModels?: readonly string[];
}

/** One entry of `models`: a model served by Ollama, OpenAI (or an OpenAI-compatible API) or Anthropic. */
export type ModelConfigInput = OllamaModelConfigInput | OpenAiModelConfigInput | AnthropicModelConfigInput;

/** A model served by the platform's Ollama, local or `:cloud`. */
export interface OllamaModelConfigInput {
  /** Served by `ollama`. */
  readonly provider: 'ollama';
  /**
   * The Ollama model with its tag (an untagged name would pull whatever `latest` is; `:latest` spelled out is
   * accepted with a warning). The server pulls it on every sync.
   * @example 'qwen3:8b'
   */
  readonly model: string;
  /**
   * Ollama request options, as strings (kagent forwards them so).
   * @default - none
   * @example { num_ctx: '32768' }
   */
  readonly options?: Readonly<Record<string, string>>;
}

/** A model of OpenAI, or of an OpenAI-compatible API at `baseUrl`. */
export interface OpenAiModelConfigInput {
  /** Served by OpenAI's API. */
  readonly provider: 'openai';
  /**
   * The model id.
   * @example 'gpt-4.1'
   */
  readonly model: string;
  /**
   * Secret holding the API key.
   * @example { name: 'openai', key: 'api-key' }
   */
  readonly apiKeySecret: SecretKeyRef;
  /**
   * Base URL of an OpenAI-compatible API.
   * @default - OpenAI's
   * @example 'http://vllm.models:8000/v1'
   */
  readonly baseUrl?: string;
}

/** A model of Anthropic. */
export interface AnthropicModelConfigInput {
  /** Served by Anthropic's API. */
  readonly provider: 'anthropic';
  /**
   * The model id.
   * @example 'claude-sonnet-4-5'
   */
  readonly model: string;
  /**
   * Secret holding the API key.
   * @example { name: 'anthropic', key: 'api-key' }
   */
  readonly apiKeySecret: SecretKeyRef;
  /**
   * Most tokens per answer.
   * @default - kagent's default
   * @example 8192
   */
  readonly maxTokens?: number;
}

/** One entry of an agent's `tools`: an MCP server by name (all its tools), or a selection of its tools. */
export type AgentToolConfig = string | ToolSelectionConfig;

/** Some tools of one MCP server, some of them only after a human approved the call. */
export interface ToolSelectionConfig {
  /**
   * The MCP server: `azure-devops`, `grafana`, `searxng`, `kagent-k8s-tools` or a `remoteMcpServers` name.
   * @example 'azure-devops'
   */
  readonly server: string;
  /**
   * The tools the agent may use (at most 50).
   * @default - every tool of the server (listed explicitly when some of them change things, see requireApproval)
   * @example ['wit_work_item', 'wit_work_item_write']
   */
  readonly toolNames?: readonly string[];
  /**
   * Tools that wait for a human's approval (a yes/no question in the chat) before they run; each must be in
   * `toolNames`. `[]` opts out: the agent runs write tools without asking.
   * @default - the server's tools that change things among the selected ones: for `azure-devops` every
   * `*_write` tool, `repo_create_branch` and `wiki_upsert_page`; for `kagent-k8s-tools` with
   * `toolServer: 'cluster-admin'` every tool kagent's tool server drops in read-only mode; none for other servers
   * @example ['wit_work_item_write']
   */
  readonly requireApproval?: readonly string[];
}

/** One entry of `agents`: a kagent Agent, or an orchestrator when it has `delegates` and no `prompt`. */
export interface AgentConfigInput {
  /**
   * The agent's name (a DNS label): its A2A path and its model id in Open WebUI.
   * @example 'research'
   */
  readonly name: string;
  /**
   * What the agent does; orchestrators route on it.
   * @example 'Web research through the private SearXNG instance, with cited sources'
   */
  readonly description: string;
  /**
   * The system prompt: a `.md` or `.txt` file in `promptDir`, or `{ inline }`. Orchestrators omit it.
   * @default - none: the agent must delegate, and its routing prompt is generated
   * @example 'research.md'
   */
  readonly prompt?: string | { readonly inline: string };
  /**
   * The key of its model in `models`.
   * @example 'kimi'
   */
  readonly model: string;
  /**
   * MCP servers, or selections of their tools.
   * @default []
   * @example ['searxng', { server: 'azure-devops', toolNames: ['wit_get_work_item'] }]
   */
  readonly tools?: readonly AgentToolConfig[];
  /**
   * Names of the agents it hands requests to over A2A.
   * @default []
   * @example ['research', 'grafana']
   */
  readonly delegates?: readonly string[];
  /**
   * Namespaces whose agents may delegate to this one.
   * @default - its own namespace only
   * @example ['research']
   */
  readonly allowedNamespaces?: readonly string[];
  /**
   * Offered in Open WebUI (bridge and Pipe).
   * @default true
   * @example false
   */
  readonly expose?: boolean;
  /**
   * Who may see and use the agent in the chat (when it is exposed).
   * @default - every user
   * @example { groups: ['platform-team'], roles: ['admin'] }
   */
  readonly access?: AgentAccessConfig;
}

/**
 * `agents[].access`: who may see and use an agent. Groups are enforced by Open WebUI (the access Job,
 * `openWebUi.access`, sets the agent's model access); users and roles by the bridge and the Pipe.
 */
export interface AgentAccessConfig {
  /**
   * Open WebUI groups whose members see the agent (created if missing; their members are managed in Open WebUI
   * or its SSO, never here). Needs `openWebUi.access`.
   * @default - every user sees it
   * @example ['platform-team']
   */
  readonly groups?: readonly string[];
  /**
   * Open WebUI users (ids or e-mails, any case) allowed to call the agent; the bridge and the Pipe refuse others.
   * @default - no user allow-list
   * @example ['alice@lab.example']
   */
  readonly users?: readonly string[];
  /**
   * Open WebUI roles allowed to call the agent (with `users`: either lets a user in).
   * @default - no role allow-list
   * @example ['admin']
   */
  readonly roles?: readonly ('admin' | 'user')[];
}

/** `kagent`: what the kagent install runs besides the controller. */
export interface KagentConfig {
  /**
   * kagent's built-in agents to keep (all are off otherwise).
   * @default []
   * @example ['k8s-agent']
   */
  readonly builtInAgents?: readonly string[];
  /**
   * A2A base URL advertised in agent cards, for clients outside the cluster.
   * @default - the controller Service
   * @example 'https://agents.lab.example/api/a2a'
   */
  readonly a2aBaseUrl?: string;
  /**
   * How long a UI or agent stream may run (0.7: the controller's A2A streaming timeout; 0.9: the UI's).
   * @default - '600s' at 0.7, '1800s' at 0.9
   * @example '900s'
   */
  readonly streamingTimeout?: string;
  /**
   * kagent's built-in Kubernetes tool server: read-only RBAC unless given `cluster-admin`, or `off`.
   * @default 'read-only'
   * @example 'off'
   */
  readonly toolServer?: 'read-only' | 'cluster-admin' | 'off';
  /**
   * Deploy the chart's Grafana MCP server.
   * @default false
   * @example true
   */
  readonly grafanaMcp?: boolean;
  /**
   * Deploy the chart's documentation search server (`querydoc`).
   * @default false
   * @example true
   */
  readonly querydoc?: boolean;
  /**
   * Options of kagent's default ModelConfig, as a whole; must set `num_ctx` (Helm would merge the chart's otherwise).
   * @default - the options of the first Ollama model in `models`
   * @example { num_ctx: '32768' }
   */
  readonly defaultModelOptions?: Readonly<Record<string, string>>;
  /**
   * Where kagent keeps sessions.
   * @default { type: 'owned-postgres' }
   * @example { type: 'postgres', urlSecret: { name: 'kagent-db', key: 'url' } }
   */
  readonly database?: KagentDatabaseConfig;
  /**
   * Register kagent's built-in Kubernetes tools as the MCP server `kagent-k8s-tools`.
   * @default false
   * @example true
   */
  readonly tools?: boolean;
}

/** `kagent.database`: session storage. */
export type KagentDatabaseConfig = SqliteDatabaseConfig | PostgresDatabaseConfig | OwnedPostgresDatabaseConfig;

/** In-memory SQLite (kagent 0.7.23 only): sessions are lost whenever the controller restarts. */
export interface SqliteDatabaseConfig {
  /** SQLite. */
  readonly type: 'sqlite';
}

/** An external PostgreSQL, by a Secret holding its URL. */
export interface PostgresDatabaseConfig {
  /** An external PostgreSQL. */
  readonly type: 'postgres';
  /**
   * Secret holding the connection URL (`postgres://user:password@host:5432/kagent`).
   * @example { name: 'kagent-db', key: 'url' }
   */
  readonly urlSecret: SecretKeyRef;
  /**
   * The database has pgvector and kagent may use it (long-term memory).
   * @default - the chart's: true at 0.7.23, false at 0.9.12
   * @example true
   */
  readonly vectorEnabled?: boolean;
}

/** A PostgreSQL the platform runs for kagent, in kagent's namespace. */
export interface OwnedPostgresDatabaseConfig {
  /** The platform's own PostgreSQL. */
  readonly type: 'owned-postgres';
  /**
   * Size of its volume.
   * @default - '5Gi'
   * @example '10Gi'
   */
  readonly storageSize?: string;
  /**
   * Secret holding the database password (dist/SECRETS.md lists it).
   * @default - { name: 'kagent-postgres', key: 'password' }
   * @example { name: 'kagent-db', key: 'password' }
   */
  readonly passwordSecret?: SecretKeyRef;
  /**
   * Secret holding the connection URL the controller reads (dist/SECRETS.md lists it).
   * @default - { name: 'kagent-postgres', key: 'url' }
   * @example { name: 'kagent-db', key: 'url' }
   */
  readonly urlSecret?: SecretKeyRef;
}

/** `toolhive`: the ToolHive operator has no settings of its own yet. */
export type ToolhiveConfig = Readonly<Record<string, never>>;

/** `azureDevOps`: the Azure DevOps MCP server. */
export interface AzureDevOpsConfig {
  /**
   * The organization's bare name, not its URL.
   * @example 'contoso'
   */
  readonly organization: string;
  /**
   * Secret holding a personal access token.
   * @example { name: 'azure-devops-pat', key: 'pat' }
   */
  readonly patSecret: SecretKeyRef;
  /**
   * Tool domains the server offers.
   * @default - all domains
   * @example ['core', 'work-items', 'wiki']
   */
  readonly domains?: readonly string[];
  /**
   * Tools the server offers, by name, within `domains`.
   * @default - every tool of the domains
   * @example ['wit_get_work_item']
   */
  readonly tools?: readonly string[];
}

/** `grafana`: the Grafana MCP server, in front of an existing Grafana. */
export interface GrafanaConfig {
  /**
   * Grafana's in-cluster URL.
   * @example 'http://grafana.monitoring.svc.cluster.local:80'
   */
  readonly url: string;
  /**
   * Secret holding a Grafana service account token.
   * @example { name: 'grafana-mcp-token', key: 'token' }
   */
  readonly tokenSecret: SecretKeyRef;
  /**
   * Port of Grafana's pods (network policies match pod ports, not Service ports).
   * @default - 3000
   * @example 3001
   */
  readonly podPort?: number;
  /**
   * Grafana's namespace, when the URL's host does not say it (`grafana.<namespace>…`).
   * @default - the second label of the URL's host
   * @example 'monitoring'
   */
  readonly namespace?: string;
}

/** `network`: the CNI and the Kubernetes API server's address, for network policies. */
export type NetworkConfig = CiliumNetworkConfig | OtherCniNetworkConfig;

/** Cilium: policies reach the API server through its `kube-apiserver` entity. */
export interface CiliumNetworkConfig {
  /** Cilium. */
  readonly cni: 'cilium';
  /**
   * The API server's port.
   * @default 6443
   * @example 443
   */
  readonly apiServerPort?: number;
}

/** Another enforcing CNI: policies reach the API server by address. */
export interface OtherCniNetworkConfig {
  /** Another CNI. */
  readonly cni: 'other';
  /**
   * Addresses of the API server (the control plane nodes), as CIDRs.
   * @example ['192.168.1.10/32']
   */
  readonly apiServerCidrs: readonly string[];
  /**
   * The API server's port.
   * @default 6443
   * @example 443
   */
  readonly apiServerPort?: number;
}

/** `searxng`: a private SearXNG and its MCP server. */
export interface SearxngConfig {
  /**
   * Secret holding SearXNG's `secret_key`.
   * @example { name: 'searxng-secret', key: 'secret-key' }
   */
  readonly secretKeySecret: SecretKeyRef;
}

/** One entry of `remoteMcpServers`: an MCP server that runs elsewhere. */
export interface RemoteMcpServerConfig {
  /**
   * Name agents use in `tools` (a DNS label).
   * @example 'wiki'
   */
  readonly name: string;
  /**
   * The server's MCP endpoint.
   * @example 'http://wiki-mcp.tools:8080/mcp'
   */
  readonly url: string;
  /**
   * What the server offers.
   * @example 'Searches the team wiki'
   */
  readonly description: string;
  /**
   * Its MCP transport.
   * @default - 'STREAMABLE_HTTP'
   * @example 'SSE'
   */
  readonly protocol?: 'STREAMABLE_HTTP' | 'SSE';
}

/** `openWebUi`: Open WebUI and the routes from it to the agents. */
export interface OpenWebUiConfig {
  /**
   * Secret holding WEBUI_SECRET_KEY (without it every new pod logs everyone out).
   * @example { name: 'open-webui-secret', key: 'webui-secret-key' }
   */
  readonly secretKeySecret: SecretKeyRef;
  /**
   * Size of the data volume (database, uploads).
   * @default '10Gi'
   * @example '20Gi'
   */
  readonly storageSize?: string;
  /**
   * Host name of an Ingress.
   * @default - cluster-internal only
   * @example 'chat.lab.example'
   */
  readonly host?: string;
  /**
   * IngressClass of the Ingress.
   * @default - the cluster's default
   * @example 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * The OpenAI-compatible A2A bridge, as an OpenAI connection in Open WebUI (one model per exposed agent).
   * @default true
   * @example false
   */
  readonly bridge?: boolean;
  /**
   * The generated Pipe function; `register` installs it through Open WebUI's API on every sync.
   * @default - no Pipe
   * @example { register: { adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' } } }
   */
  readonly pipe?: OpenWebUiPipeConfig;
  /**
   * A small Ollama model (with its tag) for titles, tags and follow-ups, so no background task reaches an agent.
   * @default - Open WebUI's choice
   * @example 'qwen3:0.6b'
   */
  readonly taskModel?: string;
  /**
   * kagent's controller `/mcp` as an MCP tool server in Open WebUI.
   * @default - not connected
   * @example { tools: ['invoke_agent'], groupIds: ['engineering'] }
   */
  readonly kagentMcp?: OpenWebUiKagentMcpConfig;
  /**
   * The bearer keys the A2A bridge requires: it refuses every request without one but its probes, and Open WebUI
   * sends its own. Only the Secret's name and keys are written; create it from dist/SECRETS.md.
   * @default - the default of each field
   * @example { secret: { name: 'chat-bridge-keys', key: 'accepted' }, openWebUiKey: 'open-webui' }
   */
  readonly bridgeApiKeys?: OpenWebUiBridgeApiKeysConfig;
  /**
   * Whom kagent sees as the user of a chat through the bridge or the Pipe (kagent keeps sessions and memory per
   * user): the signed-in Open WebUI user, else a service identity.
   * @default - the default of each field
   * @example { userIdFrom: 'id', serviceUserId: 'chat-service' }
   */
  readonly identity?: OpenWebUiIdentityConfig;
  /**
   * Keep Open WebUI's groups and each exposed agent's model access in step with Git (a PostSync Job with an
   * admin API key): an agent with `access.groups` is readable by those groups alone, every other agent by every
   * user. Group membership is not managed.
   * @default - no Job; model access is set in Open WebUI's admin screens
   * @example { adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' } }
   */
  readonly access?: OpenWebUiAccessConfig;
}

/** `openWebUi.access`: the Job that applies the agents' groups in Open WebUI. */
export interface OpenWebUiAccessConfig {
  /**
   * Secret (in Open WebUI's namespace) holding an Open WebUI admin API key.
   * @example { name: 'open-webui-admin', key: 'api-key' }
   */
  readonly adminApiKeySecret: SecretKeyRef;
}

/** `openWebUi.bridgeApiKeys`: the Secret holding the A2A bridge's bearer keys. */
export interface OpenWebUiBridgeApiKeysConfig {
  /**
   * The Secret (in Open WebUI's namespace) and its key listing every bearer key the bridge accepts, separated by
   * commas or newlines: one normally, two while a key is rotated out.
   * @default { name: 'a2a-bridge-api-keys', key: 'api-keys' }
   * @example { name: 'chat-bridge-keys', key: 'accepted' }
   */
  readonly secret?: SecretKeyRef;
  /**
   * The key, in the same Secret, holding the one bearer key Open WebUI sends (one of the accepted keys).
   * @default 'open-webui-key'
   * @example 'open-webui'
   */
  readonly openWebUiKey?: string;
}

/** `openWebUi.identity`: whom kagent sees as the user. */
export interface OpenWebUiIdentityConfig {
  /**
   * Which field of the signed-in Open WebUI user is kagent's `x-user-id`; the other is never used instead.
   * @default 'email'
   * @example 'id'
   */
  readonly userIdFrom?: 'email' | 'id';
  /**
   * kagent's user id for requests that carry no signed-in user (Open WebUI's own calls, a script with a key). No
   * "@", so it is never a user's e-mail.
   * @default 'open-webui-service'
   * @example 'chat-service'
   */
  readonly serviceUserId?: string;
}

/** `openWebUi.pipe`: the Pipe function. */
export interface OpenWebUiPipeConfig {
  /**
   * Install the Pipe through Open WebUI's admin API on every sync (a PostSync Job).
   * @default - paste the function by hand (README)
   * @example { adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' } }
   */
  readonly register?: { readonly adminApiKeySecret: SecretKeyRef };
}

/** `openWebUi.kagentMcp`: kagent's MCP endpoint as a tool server. */
export interface OpenWebUiKagentMcpConfig {
  /**
   * Open WebUI groups that may use the tools.
   * @default - every user
   * @example ['engineering']
   */
  readonly groupIds?: readonly string[];
  /**
   * The tools offered.
   * @default - both
   * @example ['invoke_agent']
   */
  readonly tools?: readonly ('list_agents' | 'invoke_agent')[];
  /**
   * Keep the connection in step with Git on every sync through the admin API (a PostSync Job).
   * @default - seeded once from the environment
   * @example { adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' } }
   */
  readonly sync?: { readonly adminApiKeySecret: SecretKeyRef };
}

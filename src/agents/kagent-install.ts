import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { HelmRelease } from '../core/helm-release';
import { SyncWave } from '../core/sync-wave';
import type { Ollama } from '../models/ollama';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertPinnedImage } from '../core/image';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/pod-security';
import { RequiredSecret } from '../core/required-secret';
import { assertResources, toPlainResources, type ContainerResources } from '../core/resources';
import type { SecretKeyRef } from '../core/secret-ref';
import type { KagentPostgres } from './kagent-postgres';
import { DEFAULT_KAGENT_VERSION, KAGENT_PORTS, kagentVersionSpec, type KagentVersion, type KagentVersionSpec } from '../core/kagent-versions';
import { wholeDurationSeconds } from '../core/duration';

/** kagent's built-in agents (the same ten at 0.7.23 and 0.9.12); all are off unless listed in `builtInAgents`. */
export const KAGENT_BUILT_IN_AGENTS = [
  'k8s-agent',
  'kgateway-agent',
  'istio-agent',
  'promql-agent',
  'observability-agent',
  'argo-rollouts-agent',
  'helm-agent',
  'cilium-policy-agent',
  'cilium-manager-agent',
  'cilium-debug-agent',
] as const;
export type KagentBuiltInAgent = (typeof KAGENT_BUILT_IN_AGENTS)[number];

/** Where kagent keeps sessions. */
export type KagentDatabase =
  /** In-memory SQLite (0.7 only; removed in 0.8): sessions are lost whenever the controller restarts. */
  | { readonly type: 'sqlite' }
  /** An external PostgreSQL; the URL comes from a Secret and is mounted into the controller as a file. */
  | {
      readonly type: 'postgres';
      readonly urlSecret: SecretKeyRef;
      /**
       * The database has pgvector and kagent may use it (long-term memory).
       * @default - the chart's default: true at 0.7.23, false at 0.9.12
       */
      readonly vectorEnabled?: boolean;
    }
  /** The project's own {@link KagentPostgres}, in kagent's namespace (no pgvector). */
  | { readonly type: 'postgres'; readonly server: KagentPostgres };

/**
 * What kagent's built-in Kubernetes tool server (the `kagent-tools` subchart) may do.
 * - `read-only`: a get/list/watch ClusterRole (no Secrets) and `--read-only`, which drops the write tools.
 * - `cluster-admin`: the chart's `*` on `*` ClusterRole and every tool; the tools can change anything in the cluster.
 * - `off`: not deployed.
 */
export type KagentToolServerAccess = 'read-only' | 'cluster-admin' | 'off';

export interface KagentInstallProps {
  /** kagent's namespace. */
  readonly namespace: NamespaceInput;
  /** Ollama serving the chart's `default-model-config`. */
  readonly ollama: Ollama;
  /** Model of `default-model-config` (must be declared on the Ollama). */
  readonly defaultModel: string;
  /**
   * Options of `default-model-config` (Ollama `options`, string values). The whole map is set, so it must
   * hold `num_ctx`: otherwise the chart's own `num_ctx: "64000"` merges in unseen.
   * @default { num_ctx: '32768' }
   */
  readonly defaultModelOptions?: Readonly<Record<string, string>>;
  /**
   * Chart version, one of `SUPPORTED_KAGENT_VERSIONS` (0.9.12, 0.7.23); drives `kagent-crds`, `kagent` and every kagent image.
   * @default DEFAULT_KAGENT_VERSION
   */
  readonly version?: string;
  /**
   * Built-in agents to keep.
   * @default []
   */
  readonly builtInAgents?: readonly KagentBuiltInAgent[];
  /**
   * A2A base URL advertised in agent cards (set it to an external URL if clients connect from outside).
   * @default - the controller Service
   */
  readonly a2aBaseUrl?: string;
  /**
   * How long a streamed answer may take: `controller.streaming.timeout` at 0.7; at 0.9 the UI's stream and
   * nginx proxy timeouts (the controller's own call to an agent stays capped at 3m there, see `a2aCallTimeout`).
   * @default - '600s' at 0.7, '1800s' at 0.9
   */
  readonly streamingTimeout?: string;
  /**
   * Session storage. 0.9 has no SQLite and its bundled Postgres has a fixed password, so 0.9 needs one of
   * the `postgres` forms.
   * @default - { type: 'sqlite' } at 0.7; required at 0.9
   */
  readonly database?: KagentDatabase;
  /**
   * Controller resources.
   * @default - 100m / 256Mi requested, 1Gi memory limit
   */
  readonly controllerResources?: ContainerResources;
  /**
   * Access of kagent's built-in Kubernetes tool server. `cluster-admin` is the only way to let its tools write.
   * @default 'read-only'
   */
  readonly toolServer?: KagentToolServerAccess;
  /**
   * Deploy the chart's Grafana MCP server (the observability agent needs it).
   * @default false
   */
  readonly grafanaMcp?: boolean;
  /**
   * Image of the chart's Grafana MCP server (the chart's default is `mcp/grafana:latest`).
   * @default VERSIONS.images.mcpGrafana
   */
  readonly grafanaMcpImage?: string;
  /**
   * Deploy the chart's documentation search server (`querydoc`).
   * @default false
   */
  readonly querydoc?: boolean;
}

const REGISTRY = 'ghcr.io/kagent-dev/kagent/helm';
/** Registry of kagent's images; `cr.kagent.dev` (the chart default) is an alias that has missed tags. */
const IMAGE_REGISTRY = 'ghcr.io';
/** The built-in agents hard-code `kagent-tool-server`, which the chart names after the release. */
const RELEASE = 'kagent';
/** Distroless `nonroot` user of the controller and tool-server images (their Dockerfiles' `USER 65532:65532`). */
const DISTROLESS_NONROOT = 65532;
const POSTGRES_URL_DIR = '/etc/kagent/postgres';

/**
 * kagent from its pinned OCI charts, as two Argo CD Applications (`kagent-crds`, then `kagent`) driven by
 * one supported version, with Ollama as the default provider and everything optional off: built-in agents,
 * Grafana MCP and querydoc off, the tool server read-only, the controller non-root and restricted, every
 * image pinned on ghcr.io.
 */
export class KagentInstall extends Construct {
  public readonly version: KagentVersion;
  public readonly namespace: string;
  /** The charts to install (CRDs first); the app-of-apps turns each into an Application. */
  public readonly helmReleases: readonly HelmRelease[];
  private readonly watched = new Set<string>();
  /** Controller Service URL. */
  public readonly controllerUrl: string;
  /** A2A base: agents are at `<a2aUrl>/<namespace>/<name>/`. */
  public readonly a2aUrl: string;
  /** The controller's MCP endpoint (agents as MCP tools). */
  public readonly mcpUrl: string;
  /** Agent card path below an agent's A2A URL: `.well-known/agent.json` (0.7) or `.well-known/agent-card.json` (0.9). */
  public readonly agentCardPath: string;
  /**
   * How long the controller lets one A2A call to an agent run: `streamingTimeout` at 0.7, a fixed `3m`
   * at 0.9.12 (a2a-go's default client; configurable only from 0.10).
   */
  public readonly a2aCallTimeout: string;
  /** What the tool server may do. */
  public readonly toolServer: KagentToolServerAccess;
  /** Pod labels of the controller, for network policies. */
  public readonly controllerPodLabels: Record<string, string> = {
    'app.kubernetes.io/name': 'kagent',
    'app.kubernetes.io/instance': RELEASE,
    'app.kubernetes.io/component': 'controller',
  };
  /** Pod labels of the UI. */
  public readonly uiPodLabels: Record<string, string> = {
    'app.kubernetes.io/name': 'kagent',
    'app.kubernetes.io/instance': RELEASE,
    'app.kubernetes.io/component': 'ui',
  };
  /** Pod labels of the `kagent-tools` pods (its selector labels: name = `<release>-tools`). */
  public readonly toolsPodLabels: Record<string, string> = { 'app.kubernetes.io/name': `${RELEASE}-tools`, 'app.kubernetes.io/instance': RELEASE };
  private readonly spec: KagentVersionSpec;

  constructor(scope: Construct, id: string, props: KagentInstallProps) {
    super(scope, id);
    this.spec = kagentVersionSpec(this.node.path, props.version ?? DEFAULT_KAGENT_VERSION);
    this.version = this.spec.version;
    this.namespace = namespaceName(props.namespace);
    this.controllerUrl = `http://${RELEASE}-controller.${this.namespace}:${KAGENT_PORTS.controller}`;
    this.a2aUrl = `${this.controllerUrl}/api/a2a`;
    this.mcpUrl = `${this.controllerUrl}/mcp`;
    this.agentCardPath = this.spec.agentCardPath;
    this.toolServer = props.toolServer ?? 'read-only';
    if (!['read-only', 'cluster-admin', 'off'].includes(this.toolServer)) {
      throw new Error(`${this.node.path}: toolServer "${this.toolServer}" is not one of read-only, cluster-admin, off`);
    }
    if (!props.ollama.models.includes(props.defaultModel)) {
      throw new Error(`${this.node.path}: defaultModel "${props.defaultModel}" is not declared on the Ollama server; add it to its models`);
    }
    this.validateBuiltInAgents(props);
    const streamingTimeout = props.streamingTimeout ?? this.spec.defaultStreamingTimeout;
    if (wholeDurationSeconds(streamingTimeout) === undefined) {
      throw new Error(`${this.node.path}: streamingTimeout "${streamingTimeout}" must be a duration such as "600s" or "10m"`);
    }
    this.a2aCallTimeout = this.spec.controllerCallTimeout ?? streamingTimeout;
    const database = this.resolveDatabase(props.database);
    const resources = props.controllerResources ?? { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' };
    assertResources(this, 'controllerResources', resources);

    this.helmReleases = [
      {
        name: 'kagent-crds',
        namespace: this.namespace,
        wave: SyncWave.CRDS,
        registry: REGISTRY,
        chart: 'kagent-crds',
        version: this.version,
        releaseName: 'kagent-crds',
        serverSideApply: true,
      },
      {
        name: 'kagent',
        namespace: this.namespace,
        wave: SyncWave.OPERATORS,
        registry: REGISTRY,
        chart: 'kagent',
        version: this.version,
        releaseName: RELEASE,
        serverSideApply: true,
        values: this.values(props, database, resources, streamingTimeout),
      },
    ];
  }

  /** kagent's built-in Kubernetes tools (the `kagent-tools` subchart), MCP over streamable HTTP. */
  public get toolsUrl(): string {
    if (this.toolServer === 'off') {
      throw new Error(`${this.node.path}: toolsUrl is unavailable because toolServer is "off"; set toolServer to "read-only" to deploy kagent's tool server`);
    }
    return `http://${RELEASE}-tools.${this.namespace}:8084/mcp`;
  }

  /** The agent card URL of agent `name` in namespace `namespace`, served by the controller. */
  public agentCardUrl(namespace: string, name: string): string {
    return `${this.a2aUrl}/${namespace}/${name}/${this.agentCardPath}`;
  }

  private validateBuiltInAgents(props: KagentInstallProps): void {
    const agents = props.builtInAgents ?? [];
    for (const agent of agents) {
      if (!KAGENT_BUILT_IN_AGENTS.includes(agent)) {
        throw new Error(`${this.node.path}: builtInAgents has unknown agent "${agent}"; known: ${KAGENT_BUILT_IN_AGENTS.join(', ')}`);
      }
    }
    if (agents.length > 0 && this.toolServer === 'off') {
      throw new Error(`${this.node.path}: builtInAgents ${agents.join(', ')} use kagent's tool server, but toolServer is "off"; set it to "read-only"`);
    }
    if (agents.includes('observability-agent') && !props.grafanaMcp) {
      throw new Error(`${this.node.path}: builtInAgents observability-agent uses the chart's Grafana MCP server; set grafanaMcp: true or drop the agent`);
    }
  }

  /** Checks the database against the version and returns the URL Secret to mount, if any. */
  private resolveDatabase(database: KagentDatabase | undefined): ResolvedDatabase {
    if (database === undefined) {
      if (this.spec.sqlite) return { type: 'sqlite' };
      throw new Error(
        `${this.node.path}: kagent ${this.version} needs a database: set database to { type: "postgres", server: new KagentPostgres(...) } ` +
          `or { type: "postgres", urlSecret: { name, key } } (the chart's bundled Postgres has a hard-coded password and is not used)`,
      );
    }
    if (database.type === 'sqlite') {
      if (this.spec.sqlite) return { type: 'sqlite' };
      throw new Error(
        `${this.node.path}: database "sqlite" was removed in kagent 0.8; on ${this.version} use { type: "postgres", server: new KagentPostgres(...) } or an external urlSecret`,
      );
    }
    if ('server' in database) {
      if (database.server.namespace !== this.namespace) {
        throw new Error(
          `${this.node.path}: database.server "${database.server.node.path}" is in namespace "${database.server.namespace}", not "${this.namespace}"; ` +
            "create the KagentPostgres in kagent's namespace so the controller can mount its URL Secret",
        );
      }
      return { type: 'postgres', urlSecret: database.server.urlSecret, vectorEnabled: false };
    }
    new RequiredSecret(this, 'PostgresUrl', { namespace: this.namespace, ref: database.urlSecret, purpose: 'kagent PostgreSQL connection URL' });
    return { type: 'postgres', urlSecret: database.urlSecret, vectorEnabled: database.vectorEnabled ?? this.spec.postgresVectorDefault };
  }

  /**
   * Has the controller reconcile agents in `namespace` too (a team's). Until one is added it watches every
   * namespace (the chart's default); after, only its own and the added ones.
   */
  public watchNamespace(namespace: string): void {
    if (namespace !== this.namespace) this.watched.add(namespace);
  }

  private values(props: KagentInstallProps, database: ResolvedDatabase, resources: ContainerResources, streamingTimeout: string): Record<string, unknown> {
    const spec = this.spec;
    const enabled = new Set<string>(props.builtInAgents ?? []);
    const agents = Object.fromEntries(KAGENT_BUILT_IN_AGENTS.map((name) => [name, { enabled: enabled.has(name) }]));
    const toolServers = { 'grafana-mcp': { enabled: props.grafanaMcp ?? false }, querydoc: { enabled: props.querydoc ?? false } };
    const postgres = database.type === 'postgres' ? database : undefined;
    const timeoutSeconds = wholeDurationSeconds(streamingTimeout);
    const values: Record<string, unknown> = {
      // Every kagent image (controller, UI, agents, skills init) takes these two: the chart reads the top-level
      // tag before a component's own, so per-component tags would be ignored (e2e/helm-values.test.ts).
      registry: IMAGE_REGISTRY,
      tag: this.version,
      providers: {
        default: 'ollama',
        ollama: { provider: 'Ollama', model: props.defaultModel, config: { host: props.ollama.url, options: this.modelOptions(props) } },
      },
      ...(spec.builtInAgentsKey ? { [spec.builtInAgentsKey]: agents } : agents),
      ...(spec.toolServersKey ? { [spec.toolServersKey]: toolServers } : {}),
      'grafana-mcp': { ...(spec.toolServersKey ? {} : toolServers['grafana-mcp']), ...(props.grafanaMcp ? { image: this.grafanaMcpImage(props) } : {}) },
      querydoc: spec.toolServersKey ? {} : toolServers.querydoc,
      'kagent-tools': this.toolServerValues(),
      kmcp: { image: { tag: spec.kmcpVersion } },
      controller: {
        ...(props.a2aBaseUrl ? { a2aBaseUrl: props.a2aBaseUrl } : {}),
        // Empty (the chart's default) watches every namespace; once teams are added, only kagent's and theirs.
        watchNamespaces: Lazy.any({ produce: () => (this.watched.size > 0 ? [this.namespace, ...[...this.watched].sort()] : undefined) }),
        ...(spec.streamingTimeoutKey ? { streaming: { timeout: streamingTimeout } } : {}),
        resources: toPlainResources(resources),
        // The chart reads these two undeclared keys (0.9 falls back to the top-level ones only when unset).
        podSecurityContext: restrictedPodSecurityContext(DISTROLESS_NONROOT),
        securityContext: {
          ...restrictedContainerSecurityContext(spec.controllerReadOnlyRootFilesystem),
          runAsUser: DISTROLESS_NONROOT,
          runAsGroup: DISTROLESS_NONROOT,
        },
        // 0.7's configmap renders `vectorEnabled | default true`, so false only reaches the controller as an env override.
        ...(postgres && !postgres.vectorEnabled && spec.vectorDisableNeedsEnv ? { env: [{ name: 'DATABASE_VECTOR_ENABLED', value: 'false' }] } : {}),
        ...(postgres
          ? {
              volumes: [{ name: 'postgres-url', secret: { secretName: postgres.urlSecret.name, items: [{ key: postgres.urlSecret.key, path: 'url' }] } }],
              volumeMounts: [{ name: 'postgres-url', mountPath: POSTGRES_URL_DIR, readOnly: true }],
            }
          : {}),
      },
      ui: {
        ...(spec.uiStreamTimeouts
          ? { streamTimeoutSeconds: timeoutSeconds, nginx: { proxyReadTimeout: `${timeoutSeconds}s`, proxySendTimeout: `${timeoutSeconds}s` } }
          : {}),
      },
      database: this.databaseValues(database),
    };
    if (!spec.bundledPostgres) {
      // 0.7's top-level contexts are empty and reach only the UI, whose image has a non-numeric USER
      // (runAsNonRoot cannot be verified); 0.9's top-level defaults are already restricted.
      values.podSecurityContext = { seccompProfile: { type: 'RuntimeDefault' } };
      values.securityContext = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
    }
    return pruneEmpty(values);
  }

  private modelOptions(props: KagentInstallProps): Record<string, string> {
    const options = props.defaultModelOptions ?? { num_ctx: '32768' };
    for (const [key, value] of Object.entries(options)) {
      if (typeof value !== 'string') {
        throw new Error(`${this.node.path}: defaultModelOptions.${key} must be a string (ModelConfig options are map<string,string>), e.g. "${String(value)}"`);
      }
    }
    if (options.num_ctx === undefined) {
      throw new Error(`${this.node.path}: defaultModelOptions must set num_ctx; Helm merges maps, so the chart's num_ctx "64000" would apply unseen`);
    }
    return { ...options };
  }

  private toolServerValues(): Record<string, unknown> {
    if (this.toolServer === 'off') return { enabled: false };
    const readOnly = this.toolServer === 'read-only';
    return {
      enabled: true,
      rbac: { readOnly },
      tools: { image: { registry: IMAGE_REGISTRY, tag: this.spec.kagentToolsVersion }, ...(readOnly ? { args: ['--read-only'] } : {}) },
      // 0.2.x (kagent 0.9) gets restricted contexts from kagent's own values; 0.1.x (kagent 0.7) gets none.
      ...(this.spec.toolsReadOnlyRootFilesystem
        ? {}
        : {
            podSecurityContext: restrictedPodSecurityContext(DISTROLESS_NONROOT),
            securityContext: { ...restrictedContainerSecurityContext(false), runAsUser: DISTROLESS_NONROOT, runAsGroup: DISTROLESS_NONROOT },
          }),
    };
  }

  private grafanaMcpImage(props: KagentInstallProps): Record<string, string> {
    const image = props.grafanaMcpImage ?? VERSIONS.images.mcpGrafana;
    assertPinnedImage(this, 'grafanaMcpImage', image);
    const colon = image.lastIndexOf(':');
    const name = image.slice(0, colon);
    const slash = name.indexOf('/');
    const first = slash < 0 ? '' : name.slice(0, slash);
    const explicitRegistry = /[.:]/.test(first) || first === 'localhost';
    // The subchart renders `<registry>/<repository>:<tag>`.
    return {
      registry: explicitRegistry ? first : 'docker.io',
      repository: explicitRegistry ? name.slice(slash + 1) : slash < 0 ? `library/${name}` : name,
      tag: image.slice(colon + 1),
    };
  }

  private databaseValues(database: ResolvedDatabase): Record<string, unknown> {
    if (database.type === 'sqlite') return { type: 'sqlite' };
    // 0.7 renders `vectorEnabled | default true`: the key cannot say false there (the env override does), and true is the default.
    const postgres = { urlFile: `${POSTGRES_URL_DIR}/url`, ...(this.spec.vectorDisableNeedsEnv ? {} : { vectorEnabled: database.vectorEnabled }) };
    return this.spec.bundledPostgres ? { postgres: { ...postgres, bundled: { enabled: false } } } : { type: 'postgres', postgres };
  }
}

type ResolvedDatabase = { readonly type: 'sqlite' } | { readonly type: 'postgres'; readonly urlSecret: SecretKeyRef; readonly vectorEnabled: boolean };

/** Drops empty objects, so no key is rendered that sets nothing. */
function pruneEmpty(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => !(v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)));
}

// DEFAULT_KAGENT_VERSION is not re-exported: src/validation/manifest-validator.ts exports the same name.
export { SUPPORTED_KAGENT_VERSIONS } from '../core/kagent-versions';
export type { KagentVersion } from '../core/kagent-versions';

import { Construct } from 'constructs';
import { VERSIONS } from '../config/versions';
import type { AppOfApps } from '../gitops/app-of-apps';
import { SyncWave } from '../gitops/sync-wave';
import type { Ollama } from '../models/ollama';
import type { TalosNamespace } from '../namespaces/talos-namespace';
import { isExactVersion } from '../util/image';
import { RequiredSecret } from '../util/required-secret';
import { assertResources, toPlainResources, type ContainerResources } from '../util/resources';
import type { SecretKeyRef } from '../util/secret-ref';

/** kagent's built-in agents (chart 0.7.23); all are off unless listed in `builtInAgents`. */
export const KAGENT_BUILT_IN_AGENTS = [
  'k8s-agent', 'kgateway-agent', 'istio-agent', 'promql-agent', 'observability-agent',
  'argo-rollouts-agent', 'helm-agent', 'cilium-policy-agent', 'cilium-manager-agent', 'cilium-debug-agent',
] as const;
export type KagentBuiltInAgent = (typeof KAGENT_BUILT_IN_AGENTS)[number];

/** Where kagent keeps sessions. */
export type KagentDatabase =
  /** In-memory SQLite: sessions are lost whenever the controller restarts. */
  | { readonly type: 'sqlite' }
  /** PostgreSQL; the URL comes from a Secret and is mounted as a file. */
  | { readonly type: 'postgres'; readonly urlSecret: SecretKeyRef };

export interface KagentInstallProps {
  /** The app-of-apps that installs the charts. */
  readonly gitops: AppOfApps;
  /** kagent's namespace. */
  readonly namespace: TalosNamespace;
  /** Ollama serving the chart's `default-model-config`. */
  readonly ollama: Ollama;
  /** Model of `default-model-config` (must be declared on the Ollama). */
  readonly defaultModel: string;
  /**
   * Chart version; drives `kagent-crds` and `kagent` together.
   * @default VERSIONS.kagent
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
   * A2A streaming timeout (long tool chains need minutes).
   * @default '600s'
   */
  readonly streamingTimeout?: string;
  /**
   * Session storage.
   * @default { type: 'sqlite' }
   */
  readonly database?: KagentDatabase;
  /**
   * Controller resources.
   * @default - 100m / 256Mi requested, 1Gi memory limit
   */
  readonly controllerResources?: ContainerResources;
}

const REGISTRY = 'ghcr.io/kagent-dev/kagent/helm';
/** The built-in agents hard-code `kagent-tool-server`, which the chart names after the release. */
const RELEASE = 'kagent';
const POSTGRES_URL_DIR = '/etc/kagent/postgres';

/**
 * kagent from its pinned OCI charts, as two Argo CD Applications (`kagent-crds`, then `kagent`) driven by
 * one version, with Ollama as the default provider and the built-in agents off unless enabled.
 */
export class KagentInstall extends Construct {
  public readonly version: string;
  public readonly namespace: string;
  /** Controller Service URL. */
  public readonly controllerUrl: string;
  /** A2A base: agents are at `<a2aUrl>/<namespace>/<name>/`. */
  public readonly a2aUrl: string;
  /** kagent's built-in Kubernetes tools (the `kagent-tools` subchart), MCP over streamable HTTP. */
  public readonly toolsUrl: string;
  /** Pod labels of the controller, for network policies. */
  public readonly controllerPodLabels = { 'app.kubernetes.io/name': 'kagent', 'app.kubernetes.io/component': 'controller' };

  constructor(scope: Construct, id: string, props: KagentInstallProps) {
    super(scope, id);
    this.version = props.version ?? VERSIONS.kagent;
    if (!isExactVersion(this.version)) {
      throw new Error(`${this.node.path}: version "${this.version}" must be an exact chart version such as "0.7.23"`);
    }
    this.namespace = props.namespace.name;
    this.controllerUrl = `http://${RELEASE}-controller.${this.namespace}:8083`;
    this.a2aUrl = `${this.controllerUrl}/api/a2a`;
    this.toolsUrl = `http://${RELEASE}-tools.${this.namespace}:8084/mcp`;
    if (!props.ollama.models.includes(props.defaultModel)) {
      throw new Error(`${this.node.path}: defaultModel "${props.defaultModel}" is not declared on the Ollama server; add it to its models`);
    }
    for (const agent of props.builtInAgents ?? []) {
      if (!KAGENT_BUILT_IN_AGENTS.includes(agent)) {
        throw new Error(`${this.node.path}: builtInAgents has unknown agent "${agent}"; known: ${KAGENT_BUILT_IN_AGENTS.join(', ')}`);
      }
    }
    if (props.streamingTimeout !== undefined && !/^\d+(s|m|h)$/.test(props.streamingTimeout)) {
      throw new Error(`${this.node.path}: streamingTimeout "${props.streamingTimeout}" must be a duration such as "600s" or "10m"`);
    }
    const database = props.database ?? { type: 'sqlite' };
    if (database.type === 'postgres') {
      new RequiredSecret(this, 'PostgresUrl', { namespace: this.namespace, ref: database.urlSecret, purpose: 'kagent PostgreSQL connection URL' });
    }
    const resources = props.controllerResources ?? { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' };
    assertResources(this, 'controllerResources', resources);

    props.gitops.addHelmChart({
      name: 'kagent-crds', namespace: this.namespace, wave: SyncWave.CRDS, registry: REGISTRY, chart: 'kagent-crds',
      version: this.version, releaseName: 'kagent-crds', serverSideApply: true,
    });
    props.gitops.addHelmChart({
      name: 'kagent', namespace: this.namespace, wave: SyncWave.OPERATORS, registry: REGISTRY, chart: 'kagent',
      version: this.version, releaseName: RELEASE, serverSideApply: true,
      values: this.values(props, database, resources),
    });
  }

  private values(props: KagentInstallProps, database: KagentDatabase, resources: ContainerResources): Record<string, unknown> {
    const enabled = new Set<string>(props.builtInAgents ?? []);
    const postgres = database.type === 'postgres' ? database : undefined;
    return {
      providers: {
        default: 'ollama',
        ollama: { provider: 'Ollama', model: props.defaultModel, config: { host: props.ollama.url } },
      },
      agents: Object.fromEntries(KAGENT_BUILT_IN_AGENTS.map((name) => [name, { enabled: enabled.has(name) }])),
      controller: {
        ...(props.a2aBaseUrl ? { a2aBaseUrl: props.a2aBaseUrl } : {}),
        streaming: { timeout: props.streamingTimeout ?? '600s' },
        resources: toPlainResources(resources),
        ...(postgres
          ? {
              volumes: [{ name: 'postgres-url', secret: { secretName: postgres.urlSecret.name, items: [{ key: postgres.urlSecret.key, path: 'url' }] } }],
              volumeMounts: [{ name: 'postgres-url', mountPath: POSTGRES_URL_DIR, readOnly: true }],
            }
          : {}),
      },
      database: postgres ? { type: 'postgres', postgres: { urlFile: `${POSTGRES_URL_DIR}/url` } } : { type: 'sqlite' },
      // Not runAsNonRoot: not every image of the chart declares a non-root user (hence baseline in SECURITY.md).
      podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    };
  }
}

import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { Ollama } from '../models/ollama';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertPinnedImage } from '../core/image';
import { containerProbes, httpGet } from '../core/probes';
import { RequiredSecret } from '../core/required-secret';
import { assertResources, type ContainerResources } from '../core/resources';
import type { SecretKeyRef } from '../core/secret-ref';
import type { A2aBridge } from './a2a-bridge';
import { kagentMcpToolServer, type KagentMcpOptions, type ToolServerConnection } from './kagent-mcp-tool-server';
import { OpenWebUiToolServerSync } from './open-webui-tool-server-sync';
import { WorkloadBuilder } from '../core/workload';

export interface OpenWebUiIngress {
  /** Host name, e.g. `chat.lab.example`. */
  readonly host: string;
  /**
   * IngressClass.
   * @default - the cluster default
   */
  readonly ingressClassName?: string;
  /**
   * TLS Secret for the host.
   * @default - no TLS at the Ingress
   */
  readonly tlsSecretName?: string;
}

/** Open WebUI calls kagent agents as MCP tools (the seed's third route). */
export interface OpenWebUiKagentMcp extends KagentMcpOptions {
  /**
   * Keep the connection in step with Git on every sync through Open WebUI's admin API (a PostSync Job): the
   * `TOOL_SERVER_CONNECTIONS` variable only seeds Open WebUI's database on the first start.
   * @default - environment only: later changes need the admin UI
   */
  readonly sync?: {
    /** Secret with an Open WebUI admin API key. */
    readonly adminApiKeySecret: SecretKeyRef;
    /**
     * Extra labels on the Job's pod, for network policies.
     * @default {}
     */
    readonly podLabels?: Readonly<Record<string, string>>;
  };
}

export interface OpenWebUiProps {
  /** Namespace. */
  readonly namespace: NamespaceInput;
  /** Secret with WEBUI_SECRET_KEY; without it every new pod logs everyone out. */
  readonly secretKeySecret: SecretKeyRef;
  /** Ollama, for plain model chats. */
  readonly ollama: Ollama;
  /**
   * The A2A bridge, for agent chats (an OpenAI connection).
   * @default - no OpenAI connection (agents through the Pipe or the MCP shortcut only)
   */
  readonly bridge?: A2aBridge;
  /**
   * Image.
   * @default VERSIONS.images.openWebUi
   */
  readonly image?: string;
  /**
   * Size of the data volume (SQLite DB, uploads).
   * @default '10Gi'
   */
  readonly storageSize?: string;
  /**
   * Exposure through an Ingress.
   * @default - cluster-internal only
   */
  readonly ingress?: OpenWebUiIngress;
  /**
   * Resources.
   * @default - 100m / 512Mi requested, 2Gi memory limit
   */
  readonly resources?: ContainerResources;
  /**
   * StorageClass of the data volume.
   * @default - the cluster default
   */
  readonly storageClassName?: string;
  /**
   * A small Ollama model (declared on `ollama`) for titles, tags and follow-ups (`TASK_MODEL` and
   * `TASK_MODEL_EXTERNAL`), so no background task reaches an agent. Open WebUI stores it in its database on the
   * first start; later changes need the admin UI (Settings → Interface).
   * @default - each chat's own model does its background tasks
   */
  readonly taskModel?: string;
  /**
   * Extra labels on the Open WebUI pod, for network policies (the selector keeps `app.kubernetes.io/name`).
   * @default {}
   */
  readonly podLabels?: Readonly<Record<string, string>>;
  /**
   * Register kagent's controller `/mcp` as an MCP tool server (tools `list_agents`, `invoke_agent`).
   * @default - not registered
   */
  readonly kagentMcp?: OpenWebUiKagentMcp;
}

const PORT = 8080;

/**
 * Open WebUI: one replica (several need Redis for websockets) on a PVC at /app/backend/data, wired to Ollama
 * and to the bridge's `/v1` with the bridge's key from its Secret, forwarding the signed-in user and
 * `X-OpenWebUI-Chat-Id`, so kagent keeps each user's conversations apart and in context.
 *
 * The image runs as root and upstream calls non-root untested, so the pod keeps uid 0 but drops every
 * capability, forbids privilege escalation and uses the RuntimeDefault seccomp profile; the namespace
 * therefore enforces `baseline` (see SECURITY.md).
 */
export class OpenWebUi extends Construct {
  public readonly name = 'open-webui';
  public readonly namespace: string;
  public readonly url: string;
  /** Port of the Service and the pod. */
  public readonly port = PORT;
  /** Labels of the Open WebUI pod (`app.kubernetes.io/name` plus `podLabels`), for network policies. */
  public readonly podLabels: Record<string, string>;
  /** The kagent MCP tool-server connection, when `kagentMcp` is set. */
  public readonly kagentMcpConnection?: ToolServerConnection;
  /** True when Open WebUI calls the kagent controller (`kagentMcp`): allow egress to it and ingress at kagent. */
  public readonly callsKagent: boolean;
  /** The kagent controller port Open WebUI calls, when `callsKagent`. */
  public readonly kagentControllerPort?: number;
  /** The Job that keeps tool servers in step with Git, when `kagentMcp.sync` is set (its pod calls Open WebUI). */
  public readonly toolServerSync?: OpenWebUiToolServerSync;
  private readonly selector: Record<string, string> = { 'app.kubernetes.io/name': 'open-webui' };

  constructor(scope: Construct, id: string, props: OpenWebUiProps) {
    super(scope, id);
    this.namespace = namespaceName(props.namespace);
    this.url = `http://${this.name}.${this.namespace}.svc.cluster.local:${PORT}`;
    this.podLabels = { ...props.podLabels, ...this.selector };
    const image = props.image ?? VERSIONS.images.openWebUi;
    assertPinnedImage(this, 'image', image);
    const resources = props.resources ?? { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '2Gi' };
    assertResources(this, 'resources', resources);
    this.validateTaskModel(props);
    if (props.storageClassName !== undefined && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(props.storageClassName)) {
      throw new Error(`${this.node.path}: storageClassName "${props.storageClassName}" is not a StorageClass name (lowercase, e.g. "local-path")`);
    }
    if (props.kagentMcp) {
      this.kagentMcpConnection = kagentMcpToolServer(this.node.path, props.kagentMcp);
      this.kagentControllerPort = Number(new URL(props.kagentMcp.kagent.controllerUrl).port || 80);
    }
    this.callsKagent = this.kagentMcpConnection !== undefined;
    new RequiredSecret(this, 'SecretKey', {
      namespace: this.namespace,
      ref: props.secretKeySecret,
      purpose: 'Open WebUI session signing key (WEBUI_SECRET_KEY)',
    });
    if (props.bridge) {
      const accepted = props.bridge.apiKeys.accepted.key;
      new RequiredSecret(this, 'BridgeKey', {
        namespace: this.namespace,
        ref: props.bridge.apiKeys.openWebUi,
        purpose: `Bearer key Open WebUI sends to the A2A bridge (one of the ${accepted})`,
      });
    }
    const workload = new WorkloadBuilder(this, { name: this.name, namespace: this.namespace, labels: this.selector, port: { name: 'http', port: PORT } });
    const data = workload.claim({
      name: 'open-webui-data',
      storageClassName: props.storageClassName,
      size: props.storageSize ?? '10Gi',
      mountPath: '/app/backend/data',
    });
    workload.service();
    if (props.ingress) this.ingress(props.ingress);
    workload.statefulSet({
      user: 'root',
      labels: this.podLabels,
      container: {
        name: 'open-webui',
        image,
        env: this.env(props),
        resources,
        probes: containerProbes(httpGet('/health', PORT), { failureThreshold: 60, periodSeconds: 5 }),
        mounts: [data],
      },
    });
    if (this.kagentMcpConnection && props.kagentMcp?.sync) {
      this.toolServerSync = new OpenWebUiToolServerSync(this, 'ToolServerSync', {
        namespace: this.namespace,
        openWebUiUrl: this.url,
        connections: [this.kagentMcpConnection],
        image,
        adminApiKeySecret: props.kagentMcp.sync.adminApiKeySecret,
        podLabels: props.kagentMcp.sync.podLabels,
      });
    }
  }

  private validateTaskModel(props: OpenWebUiProps): void {
    if (props.taskModel !== undefined && !props.ollama.models.includes(props.taskModel)) {
      const declared = props.ollama.models.length ? props.ollama.models.join(', ') : 'none';
      throw new Error(
        `${this.node.path}: taskModel "${props.taskModel}" is not declared on the Ollama server (declared: ${declared}); add it to the Ollama's models so it is pulled`,
      );
    }
  }

  private env(props: OpenWebUiProps): k8s.EnvVar[] {
    return [
      { name: 'WEBUI_SECRET_KEY', valueFrom: { secretKeyRef: { name: props.secretKeySecret.name, key: props.secretKeySecret.key } } },
      { name: 'OLLAMA_BASE_URL', value: props.ollama.url },
      { name: 'ENABLE_OPENAI_API', value: props.bridge ? 'true' : 'false' },
      ...(props.bridge
        ? [
            { name: 'OPENAI_API_BASE_URLS', value: props.bridge.openAiBaseUrl },
            // Keys pair with OPENAI_API_BASE_URLS by position; the bridge is the only URL, so its key is the whole value.
            { name: 'OPENAI_API_KEYS', valueFrom: { secretKeyRef: { name: props.bridge.apiKeys.openWebUi.name, key: props.bridge.apiKeys.openWebUi.key } } },
          ]
        : []),
      // The signed-in user (and the chat id) go to the bridge, which passes the user on to kagent.
      { name: 'ENABLE_FORWARD_USER_INFO_HEADERS', value: 'true' },
      { name: 'ANONYMIZED_TELEMETRY', value: 'false' },
      { name: 'DO_NOT_TRACK', value: 'true' },
      // Ollama models are "local", the bridge's and the Pipe's "external" (utils/task.py get_task_model_id).
      ...(props.taskModel
        ? [
            { name: 'TASK_MODEL', value: props.taskModel },
            { name: 'TASK_MODEL_EXTERNAL', value: props.taskModel },
          ]
        : []),
      ...(this.kagentMcpConnection ? [{ name: 'TOOL_SERVER_CONNECTIONS', value: JSON.stringify([this.kagentMcpConnection]) }] : []),
    ];
  }

  private ingress(ingress: OpenWebUiIngress): void {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ingress.host)) {
      throw new Error(`${this.node.path}: ingress.host "${ingress.host}" is not a host name (e.g. "chat.lab.example")`);
    }
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: { name: this.name, namespace: this.namespace, labels: this.selector },
      spec: {
        ingressClassName: ingress.ingressClassName,
        tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
        rules: [
          {
            host: ingress.host,
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.name, port: { number: PORT } } } }] },
          },
        ],
      },
    });
  }
}

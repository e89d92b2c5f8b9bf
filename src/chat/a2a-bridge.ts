import { createHash } from 'node:crypto';
import { Lazy } from 'cdk8s';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { Agent } from '../agents/agent';
import type { KagentInstall } from '../agents/kagent-install';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { resolveBridgeApiKeys, type BridgeApiKeys, type ResolvedBridgeApiKeys } from './bridge-api-keys';
import { resolveChatIdentity, type ChatIdentity } from './chat-identity';
import { bridgeAgentsEnv, chatModelId } from './chat-model-id';
import { allowListOf, type ChatAccess } from '../core/chat-access';
import { assertPinnedImage } from '../core/image';
import { containerProbes, httpGet } from '../core/probes';
import { RequiredSecret } from '../core/required-secret';
import { WorkloadBuilder } from '../core/workload';

export interface A2aBridgeProps {
  /** Namespace (next to OpenWebUI). */
  readonly namespace: NamespaceInput;
  /** kagent, whose controller serves A2A. */
  readonly kagent: KagentInstall;
  /** Agents exposed as OpenAI models, in menu order; read at synth time, so agents pushed onto the list later count. */
  readonly agents: readonly Agent[];
  /** The bundled bridge (see `bridgeBundle()`); mounted from a ConfigMap. */
  readonly bundle: string;
  /**
   * Node image that runs the bundle.
   * @default VERSIONS.images.node
   */
  readonly image?: string;
  /**
   * Seconds without an upstream event before a request fails with a timeout.
   * @default 300
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * A2A wire version: `auto` speaks v1.0 to agents whose card offers it (kagent ≥ 0.9) and v0.3 otherwise;
   * `0.3` or `1.0` force one.
   * @default 'auto'
   */
  readonly a2aVersion?: 'auto' | '0.3' | '1.0';
  /**
   * Keep-alive connections to the kagent controller, at most; requests beyond it wait for a free one, so it
   * caps the concurrent streams per pod.
   * @default 1024
   */
  readonly upstreamMaxSockets?: number;
  /**
   * Seconds open streams may take to finish after SIGTERM (a rollout, a drain); the pod's
   * `terminationGracePeriodSeconds` is 5 s longer, so the bridge, not the kubelet, ends them.
   * @default 25
   */
  readonly shutdownGraceSeconds?: number;
  /**
   * The bearer keys the bridge requires of every request but its probes, from a Secret (never written here).
   * @default - Secret `a2a-bridge-api-keys`: key `api-keys` lists the accepted keys, `open-webui-key` is Open WebUI's
   */
  readonly apiKeys?: BridgeApiKeys;
  /**
   * Whom kagent sees as the user: the signed-in user Open WebUI forwards, else the service identity.
   * @default - the user's e-mail, else 'open-webui-service'
   */
  readonly identity?: ChatIdentity;
  /**
   * Who may use each agent; read at synth time. The users and roles become `AGENT_ALLOW` (the bridge refuses
   * anyone else); groups are Open WebUI's to enforce (see `OpenWebUiAccess`).
   * @default - every agent open to every caller with a bridge key
   */
  readonly access?: ReadonlyMap<Agent, ChatAccess>;
}

/** `AGENT_ALLOW`: the users and roles of each exposed agent that has an allow-list, by model id; undefined if none has. */
export function agentAllowEnv(agents: readonly Agent[], access: ReadonlyMap<Agent, ChatAccess> | undefined, homeNamespace: string): string | undefined {
  const entries = agents.flatMap((agent) => {
    const allow = allowListOf(access?.get(agent));
    return allow ? [[chatModelId(agent, homeNamespace), allow] as const] : [];
  });
  return entries.length > 0 ? JSON.stringify(Object.fromEntries(entries)) : undefined;
}

/** The env with `AGENT_ALLOW` appended when some agent has an allow-list: decided at synth time, when the agents are known. */
function withAgentAllow(bridge: A2aBridge, props: A2aBridgeProps, env: k8s.EnvVar[]): k8s.EnvVar[] {
  const produce = () => {
    const allow = agentAllowEnv(bridge.agents, props.access, props.kagent.namespace);
    return allow === undefined ? env : [...env, { name: 'AGENT_ALLOW', value: allow }];
  };
  return Lazy.any({ produce }) as unknown as k8s.EnvVar[];
}

const PORT = 8080;
const A2A_VERSIONS = ['auto', '0.3', '1.0'] as const;

/** A whole number ≥ 1, or an error naming the construct, the prop and the fix. */
function positiveInt(scope: Construct, prop: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${scope.node.path}: ${prop} must be a whole number ≥ 1, got ${value}`);
  return value;
}

/**
 * The OpenAI-compatible A2A bridge: an official pinned `node` image running the bundle from a ConfigMap (no
 * private registry needed), Service `a2a-bridge`, talking A2A to the kagent controller. It requires a bearer key
 * from its Secret and passes the signed-in user on to kagent as `x-user-id`.
 */
export class A2aBridge extends Construct {
  public readonly name = 'a2a-bridge';
  public readonly namespace: string;
  /** HTTP port of the pods and the Service. */
  public readonly port = PORT;
  /** The OpenAI base URL OpenWebUI points at. */
  public readonly openAiBaseUrl: string;
  public readonly podLabels: Record<string, string> = { 'app.kubernetes.io/name': 'a2a-bridge' };
  /** Where the keys are: the accepted ones (the bridge reads them) and the one Open WebUI sends. */
  public readonly apiKeys: ResolvedBridgeApiKeys;
  private readonly exposed: readonly Agent[];

  /** The exposed agents, as they are now (the list is read again at synth time). */
  public get agents(): readonly Agent[] {
    return [...this.exposed];
  }

  constructor(scope: Construct, id: string, props: A2aBridgeProps) {
    super(scope, id);
    this.namespace = namespaceName(props.namespace);
    this.openAiBaseUrl = `http://${this.name}.${this.namespace}.svc.cluster.local:${PORT}/v1`;
    const image = props.image ?? VERSIONS.images.node;
    assertPinnedImage(this, 'image', image);
    // Read at synth time: agents a platform adds after the bridge are exposed too.
    this.exposed = props.agents;
    this.node.addValidation({ validate: () => (this.exposed.length === 0 ? [`${this.node.path}: agents is empty; expose at least one agent`] : []) });
    const timeout = positiveInt(this, 'idleTimeoutSeconds', props.idleTimeoutSeconds ?? 300);
    const maxSockets = positiveInt(this, 'upstreamMaxSockets', props.upstreamMaxSockets ?? 1024);
    const grace = positiveInt(this, 'shutdownGraceSeconds', props.shutdownGraceSeconds ?? 25);
    const a2aVersion = props.a2aVersion ?? 'auto';
    if (!A2A_VERSIONS.includes(a2aVersion)) throw new Error(`${this.node.path}: a2aVersion must be one of ${A2A_VERSIONS.join(', ')}, got "${a2aVersion}"`);
    this.apiKeys = resolveBridgeApiKeys(this, props.apiKeys);
    const identity = resolveChatIdentity(this, props.identity);
    new RequiredSecret(this, 'ApiKeys', {
      namespace: this.namespace,
      ref: this.apiKeys.accepted,
      purpose: `Bearer keys the A2A bridge accepts, separated by commas or newlines (two while rotating); one is the ${this.apiKeys.openWebUi.key} value`,
    });
    const metadata = { name: this.name, namespace: this.namespace, labels: this.podLabels };
    new k8s.KubeConfigMap(this, 'Bundle', { metadata: { ...metadata, name: 'a2a-bridge-bundle' }, data: { 'bridge.cjs': props.bundle } });
    const workload = new WorkloadBuilder(this, { ...metadata, port: { name: 'http', port: PORT } });
    workload.service();
    workload.deployment({
      user: 1000,
      // A new bundle rolls the pods.
      annotations: {
        'platform.agents/bundle-sha256': createHash('sha256').update(props.bundle).digest('hex'),
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(PORT),
        'prometheus.io/path': '/metrics',
      },
      spec: { terminationGracePeriodSeconds: grace + 5 },
      container: {
        name: 'bridge',
        image,
        command: ['node', '/app/bridge.cjs'],
        env: withAgentAllow(this, props, [
          { name: 'A2A_BASE_URL', value: props.kagent.a2aUrl },
          { name: 'AGENTS', value: Lazy.any({ produce: () => bridgeAgentsEnv(this.exposed, props.kagent.namespace) }) },
          { name: 'PORT', value: String(PORT) },
          { name: 'IDLE_TIMEOUT_MS', value: String(timeout * 1000) },
          { name: 'A2A_VERSION', value: a2aVersion },
          { name: 'UPSTREAM_MAX_SOCKETS', value: String(maxSockets) },
          { name: 'SHUTDOWN_GRACE_MS', value: String(grace * 1000) },
          { name: 'BRIDGE_API_KEYS', valueFrom: { secretKeyRef: { name: this.apiKeys.accepted.name, key: this.apiKeys.accepted.key } } },
          { name: 'USER_ID_FROM', value: identity.userIdFrom },
          { name: 'SERVICE_USER_ID', value: identity.serviceUserId },
        ]),
        resources: { cpuRequest: '20m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
        // Liveness: the process is up. Readiness: kagent answers, so a pod that cannot reach it gets no traffic.
        probes: containerProbes(httpGet('/healthz', PORT), { failureThreshold: 30, periodSeconds: 1 }, httpGet('/readyz', PORT)),
        mounts: [{ name: 'bundle', mountPath: '/app', readOnly: true, volume: { configMap: { name: 'a2a-bridge-bundle' } } }],
      },
    });
  }
}

import { Construct } from 'constructs';
import type { KagentInstall } from '../agents/kagent-install';
import type { KagentPostgres } from '../agents/kagent-postgres';
import type { A2aBridge } from '../chat/a2a-bridge';
import type { OpenWebUi } from '../chat/open-webui';
import type { OpenWebUiPipe } from '../chat/open-webui-pipe';
import type { OpenWebUiAccess } from '../chat/open-webui-access';
import type { Ollama } from '../models/ollama';
import type { McpServer } from '../tools/mcp-server';
import type { Searxng } from '../tools/searxng';
import { NamespaceFirewall, type KubernetesApiAccess } from '../namespaces/namespace-firewall';
import type { TalosNamespace } from '../namespaces/talos-namespace';
import { KAGENT_PORTS } from '../core/kagent-versions';

/** An in-cluster service an MCP server calls (e.g. Grafana), by its pods' namespace and port. */
export interface InClusterTool {
  /** What it is, for the rule name and SECURITY.md. */
  readonly name: string;
  /** The namespace its pods run in. */
  readonly namespace: string;
  /** The pod (target) port: NetworkPolicy matches after the Service has translated its port. */
  readonly podPort: number;
}

export interface PlatformFirewallProps {
  /** The platform's namespaces; each one that exists gets a default-deny firewall. */
  readonly namespaces: {
    readonly kagent: TalosNamespace;
    readonly ollama?: TalosNamespace;
    readonly toolhive?: TalosNamespace;
    readonly searxng?: TalosNamespace;
    readonly openWebUi?: TalosNamespace;
  };
  /** The controller, the tools and the agent pods. */
  readonly kagent: KagentInstall;
  /**
   * Serves models to agents and Open WebUI.
   * @default - no Ollama
   */
  readonly ollama?: Ollama;
  /**
   * MCP servers agents call through their ToolHive proxies.
   * @default []
   */
  readonly mcpServers?: readonly McpServer[];
  /**
   * Searched by the SearXNG MCP server.
   * @default - no SearXNG
   */
  readonly searxng?: Searxng;
  /**
   * The chat UI.
   * @default - no Open WebUI
   */
  readonly openWebUi?: OpenWebUi;
  /**
   * Calls the kagent controller for Open WebUI.
   * @default - no bridge
   */
  readonly bridge?: A2aBridge;
  /**
   * The Pipe runs inside Open WebUI and calls the kagent controller; its registration Job calls Open WebUI.
   * @default - no Pipe
   */
  readonly pipe?: OpenWebUiPipe;
  /**
   * The access Job calls Open WebUI's admin API.
   * @default - no access Job
   */
  readonly chatAccessSync?: OpenWebUiAccess;
  /**
   * The Postgres kagent keeps sessions in: only the controller may reach it.
   * @default - none (an external database, or SQLite)
   */
  readonly postgres?: KagentPostgres;
  /**
   * In-cluster services the MCP servers call.
   * @default []
   */
  readonly inClusterTools?: readonly InClusterTool[];
  /**
   * How pods reach the Kubernetes API server.
   * @default { cni: 'cilium' }
   */
  readonly kubernetesApi?: KubernetesApiAccess;
}

/** Pod labels of the ToolHive operator (its chart) and of the proxy runners it creates (`labelsForMCPServer`). */
const TOOLHIVE_OPERATOR_PODS = { 'app.kubernetes.io/name': 'toolhive-operator' };
const TOOLHIVE_PROXY_PODS = { 'app.kubernetes.io/name': 'mcpserver' };
const KAGENT_INTERNAL_PORTS = [8080, 8083, 8084, 9443];

/**
 * The platform's network paths: every namespace default-denies ingress and egress, and only the paths the
 * components that exist need are opened, at both ends. SECURITY.md lists them.
 */
export class PlatformFirewall extends Construct {
  public readonly firewalls: readonly NamespaceFirewall[];

  constructor(scope: Construct, id: string, props: PlatformFirewallProps) {
    super(scope, id);
    const ns = props.namespaces;
    const fw = (namespace: TalosNamespace | undefined) =>
      namespace && new NamespaceFirewall(this, namespace.name, { namespace, kubernetesApi: props.kubernetesApi });
    const walls = { kagent: fw(ns.kagent)!, ollama: fw(ns.ollama), toolhive: fw(ns.toolhive), searxng: fw(ns.searxng), chat: fw(ns.openWebUi) };
    this.firewalls = Object.values(walls).filter((w): w is NamespaceFirewall => w !== undefined);
    kagentPaths(walls.kagent, props);
    if (walls.ollama && props.ollama) ollamaPaths(walls.ollama, props.ollama, props);
    if (walls.toolhive && ns.toolhive) toolhivePaths(walls.toolhive, props);
    if (walls.searxng && props.searxng && ns.toolhive) searxngPaths(walls.searxng, props.searxng, ns.toolhive.name);
    if (walls.chat && props.openWebUi) chatPaths(walls.chat, props.openWebUi, props);
  }
}

function kagentPaths(kagent: NamespaceFirewall, props: PlatformFirewallProps): void {
  const ns = props.namespaces;
  const self = { namespace: ns.kagent.name };
  kagent.allowIngress(self, {
    name: 'within-kagent',
    reason: 'Controller, UI, tools and agent pods talk to each other (A2A between agents on 8080)',
    ports: KAGENT_INTERNAL_PORTS,
  });
  kagent.allowEgress(self, { name: 'kagent-internal', reason: 'Agents call the controller, the tool server and each other', ports: KAGENT_INTERNAL_PORTS });
  if (props.ollama && ns.ollama) {
    kagent.allowEgress(
      { namespace: ns.ollama.name, podLabels: props.ollama.podLabels },
      { name: 'agents-to-ollama', reason: 'Agents call their models on Ollama', ports: [props.ollama.port] },
    );
  }
  const proxyPorts = mcpProxyPorts(props);
  if (proxyPorts.length > 0 && ns.toolhive) {
    kagent.allowEgress(
      { namespace: ns.toolhive.name, podLabels: TOOLHIVE_PROXY_PODS },
      { name: 'agents-to-toolhive', reason: 'Agents call MCP servers through the ToolHive proxies', ports: proxyPorts },
    );
  }
  const controller = props.kagent.controllerPodLabels;
  kagent.allowKubernetesApi({
    name: 'kagent-controller-kubernetes-api',
    reason: 'The controller reconciles agents and their Deployments',
    podLabels: controller,
  });
  kagent.allowKubernetesApi({
    name: 'kagent-tools-kubernetes-api',
    reason: "kagent's Kubernetes tools read the cluster (read-only RBAC)",
    podLabels: props.kagent.toolsPodLabels,
  });
  if (props.postgres) {
    const db = { namespace: props.postgres.namespace, podLabels: props.postgres.podLabels };
    kagent.allowEgress(db, {
      name: 'controller-to-postgres',
      reason: 'The controller keeps sessions in Postgres',
      ports: [props.postgres.port],
      podLabels: controller,
    });
    kagent.allowIngress(
      { namespace: ns.kagent.name, podLabels: controller },
      {
        name: 'postgres-from-controller',
        reason: 'Only the kagent controller uses the session database',
        ports: [props.postgres.port],
        podLabels: props.postgres.podLabels,
      },
    );
  }
  for (const caller of controllerCallers(props)) {
    kagent.allowIngress(
      { namespace: caller.namespace, podLabels: caller.podLabels },
      { name: `controller-from-${caller.name}`, reason: caller.reason, ports: [KAGENT_PORTS.controller], podLabels: controller },
    );
  }
}

/** Who calls the kagent controller's HTTP port from Open WebUI's namespace: the bridge, the Pipe (inside Open WebUI). */
function controllerCallers(props: PlatformFirewallProps): Array<{ name: string; namespace: string; podLabels: Record<string, string>; reason: string }> {
  const callers = [];
  if (props.bridge)
    callers.push({ name: 'bridge', namespace: props.bridge.namespace, podLabels: props.bridge.podLabels, reason: 'A2A requests from the bridge' });
  const ui = props.openWebUi;
  const uiReasons = [props.pipe && 'A2A from the Pipe (it runs inside Open WebUI)', ui?.callsKagent && 'MCP tool calls (list_agents, invoke_agent)'].filter(
    Boolean,
  );
  if (ui && uiReasons.length > 0)
    callers.push({ name: 'open-webui', namespace: ui.namespace, podLabels: ui.podLabels, reason: `Open WebUI: ${uiReasons.join('; ')}` });
  return callers;
}

function ollamaPaths(ollama: NamespaceFirewall, server: Ollama, props: PlatformFirewallProps): void {
  const ns = props.namespaces;
  const rule = (name: string, reason: string) => ({ name, reason, ports: [server.port], podLabels: server.podLabels });
  ollama.allowIngress({ namespace: ns.kagent.name }, rule('ollama-from-agents', 'kagent agents call models'));
  if (props.openWebUi)
    ollama.allowIngress(
      { namespace: props.openWebUi.namespace, podLabels: props.openWebUi.podLabels },
      rule('ollama-from-open-webui', 'Open WebUI chats with models'),
    );
  ollama.allowIngress(
    { namespace: server.namespace, podLabels: server.pullJobPodLabels },
    rule('ollama-from-pull-job', 'The model pull Job asks the server to pull'),
  );
  ollama.allowEgress(
    { namespace: server.namespace, podLabels: server.podLabels },
    { name: 'pull-job-to-ollama', reason: 'The pull Job reaches the server', ports: [server.port], podLabels: server.pullJobPodLabels },
  );
  ollama.allowInternetEgress({ name: 'ollama-cloud', reason: 'Model downloads and :cloud models on ollama.com', ports: [443], podLabels: server.podLabels });
}

function toolhivePaths(toolhive: NamespaceFirewall, props: PlatformFirewallProps): void {
  const ns = props.namespaces;
  const self = { namespace: ns.toolhive!.name };
  const proxyPorts = mcpProxyPorts(props);
  if (proxyPorts.length > 0) {
    toolhive.allowIngress(
      { namespace: ns.kagent.name },
      { name: 'mcp-from-agents', reason: 'kagent agents call the MCP proxies', ports: proxyPorts, podLabels: TOOLHIVE_PROXY_PODS },
    );
  }
  toolhive.allowIngress(self, { name: 'within-toolhive', reason: 'Proxy runners talk to their MCP server pods', ports: [8080, 8081] });
  toolhive.allowEgress(self, { name: 'toolhive-internal', reason: 'Proxy runners reach their MCP server pods', ports: [8080, 8081] });
  if (props.searxng && ns.searxng) {
    toolhive.allowEgress(
      { namespace: ns.searxng.name, podLabels: props.searxng.podLabels },
      { name: 'mcp-to-searxng', reason: 'The SearXNG MCP server queries SearXNG', ports: [props.searxng.port] },
    );
  }
  if ((props.mcpServers ?? []).some((server) => server.permissionProfile === 'network')) {
    toolhive.allowInternetEgress({
      name: 'mcp-internet',
      reason: 'MCP servers call Azure DevOps and read web pages over HTTPS (private ranges excluded)',
      ports: [443],
    });
  }
  for (const tool of props.inClusterTools ?? []) {
    toolhive.allowEgress(
      { namespace: tool.namespace },
      { name: `mcp-to-${tool.name}`, reason: `MCP servers call ${tool.name} in namespace ${tool.namespace} (pod port)`, ports: [tool.podPort] },
    );
  }
  toolhive.allowKubernetesApi({ name: 'toolhive-operator-kubernetes-api', reason: 'The operator reconciles MCPServers', podLabels: TOOLHIVE_OPERATOR_PODS });
  toolhive.allowKubernetesApi({
    name: 'toolhive-proxy-kubernetes-api',
    reason: 'Proxy runners create and attach to their MCP server pods',
    podLabels: TOOLHIVE_PROXY_PODS,
  });
}

function searxngPaths(searxng: NamespaceFirewall, server: Searxng, toolhiveNamespace: string): void {
  searxng.allowIngress(
    { namespace: toolhiveNamespace },
    { name: 'searxng-from-mcp', reason: 'Only the SearXNG MCP server searches', ports: [server.port], podLabels: server.podLabels },
  );
  searxng.allowInternetEgress({ name: 'searxng-engines', reason: 'SearXNG queries public search engines', ports: [80, 443], podLabels: server.podLabels });
}

function chatPaths(chat: NamespaceFirewall, openWebUi: OpenWebUi, props: PlatformFirewallProps): void {
  const ui = openWebUi.podLabels;
  const ns = props.namespaces;
  chat.allowIngress('anywhere', {
    name: 'open-webui-users',
    reason: 'Users reach Open WebUI (through the ingress controller)',
    ports: [openWebUi.port],
    podLabels: ui,
  });
  chat.allowInternetEgress({
    name: 'open-webui-internet',
    reason: 'Open WebUI downloads embedding models and fetches web content on request',
    ports: [443],
    podLabels: ui,
  });
  if (props.ollama) {
    chat.allowEgress(
      { namespace: props.ollama.namespace, podLabels: props.ollama.podLabels },
      { name: 'open-webui-to-ollama', reason: 'Open WebUI chats with Ollama models directly', ports: [props.ollama.port], podLabels: ui },
    );
  }
  const controller = { namespace: ns.kagent.name, podLabels: props.kagent.controllerPodLabels };
  if (props.bridge) {
    const bridge = props.bridge.podLabels;
    chat.allowEgress(
      { namespace: openWebUi.namespace, podLabels: bridge },
      { name: 'open-webui-to-bridge', reason: 'Open WebUI calls the A2A bridge (OpenAI API)', ports: [props.bridge.port], podLabels: ui },
    );
    chat.allowIngress(
      { namespace: openWebUi.namespace, podLabels: ui },
      { name: 'bridge-from-open-webui', reason: 'Only Open WebUI calls the bridge', ports: [props.bridge.port], podLabels: bridge },
    );
    chat.allowEgress(controller, {
      name: 'bridge-to-kagent',
      reason: 'The bridge speaks A2A to the kagent controller',
      ports: [KAGENT_PORTS.controller],
      podLabels: bridge,
    });
  }
  const uiToKagent = [props.pipe && 'the Pipe speaks A2A', openWebUi.callsKagent && 'agents are MCP tools (/mcp)'].filter(Boolean);
  if (uiToKagent.length > 0) {
    chat.allowEgress(controller, {
      name: 'open-webui-to-kagent',
      reason: `Open WebUI calls the kagent controller: ${uiToKagent.join('; ')}`,
      ports: [KAGENT_PORTS.controller],
      podLabels: ui,
    });
  }
  const jobs: Array<[string, Record<string, string> | undefined]> = [
    ['pipe-registration', props.pipe?.registrationPodLabels],
    ['tool-server-sync', openWebUi.toolServerSync?.podLabels],
    ['access-sync', props.chatAccessSync?.podLabels],
  ];
  for (const [name, job] of jobs) {
    if (!job) continue;
    chat.allowEgress(
      { namespace: openWebUi.namespace, podLabels: ui },
      { name: `${name}-to-open-webui`, reason: "A PostSync Job calls Open WebUI's admin API", ports: [openWebUi.port], podLabels: job },
    );
    chat.allowIngress(
      { namespace: openWebUi.namespace, podLabels: job },
      { name: `open-webui-from-${name}`, reason: 'The admin API from a PostSync Job', ports: [openWebUi.port], podLabels: ui },
    );
  }
}

function mcpProxyPorts(props: PlatformFirewallProps): number[] {
  return [...new Set((props.mcpServers ?? []).map((s) => s.proxyPort))].sort((a, b) => a - b);
}

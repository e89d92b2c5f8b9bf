import { Construct } from 'constructs';
import type { KagentInstall } from '../agents/kagent-install';
import type { A2aBridge } from '../chat/a2a-bridge';
import type { OpenWebUi } from '../chat/open-webui';
import type { Ollama } from '../models/ollama';
import type { McpServer } from '../tools/mcp-server';
import type { Searxng } from '../tools/searxng';
import { NamespaceFirewall } from './namespace-firewall';
import type { TalosNamespace } from './talos-namespace';

export interface PlatformFirewallProps {
  /** The platform's namespaces; each gets a default-deny firewall. */
  readonly namespaces: {
    readonly kagent: TalosNamespace;
    readonly ollama: TalosNamespace;
    readonly toolhive: TalosNamespace;
    readonly searxng: TalosNamespace;
    readonly openWebUi: TalosNamespace;
  };
  /** Serves models to agents and Open WebUI. */
  readonly ollama: Ollama;
  /** The controller the bridge calls. */
  readonly kagent: KagentInstall;
  /** MCP servers agents call through their ToolHive proxies. */
  readonly mcpServers: readonly McpServer[];
  /** Searched by the SearXNG MCP server. */
  readonly searxng: Searxng;
  /** Calls the bridge and Ollama. */
  readonly openWebUi: OpenWebUi;
  /** Calls the kagent controller. */
  readonly bridge: A2aBridge;
  /**
   * TCP ports of services the MCP servers call inside the cluster (e.g. Grafana's).
   * @default []
   */
  readonly inClusterToolPorts?: readonly number[];
}

/**
 * The platform's network paths: every namespace default-denies ingress and egress, and only the paths the
 * platform needs are opened. SECURITY.md lists them.
 */
export class PlatformFirewall extends Construct {
  public readonly firewalls: readonly NamespaceFirewall[];

  constructor(scope: Construct, id: string, props: PlatformFirewallProps) {
    super(scope, id);
    const ns = props.namespaces;
    const fw = (namespace: TalosNamespace) => new NamespaceFirewall(this, namespace.name, { namespace });
    const kagent = fw(ns.kagent);
    const ollama = fw(ns.ollama);
    const toolhive = fw(ns.toolhive);
    const searxng = fw(ns.searxng);
    const chat = fw(ns.openWebUi);
    this.firewalls = [kagent, ollama, toolhive, searxng, chat];
    const same = (namespace: TalosNamespace) => ({ namespace: namespace.name });

    chat.allowIngress('anywhere', { name: 'open-webui-users', reason: 'Users reach Open WebUI (through the ingress controller)', ports: [8080], podLabels: props.openWebUi.podLabels });
    chat.allowEgress({ namespace: ns.openWebUi.name, podLabels: props.bridge.podLabels }, { name: 'open-webui-to-bridge', reason: 'Open WebUI calls the A2A bridge (OpenAI API)', ports: [8080], podLabels: props.openWebUi.podLabels });
    chat.allowIngress({ namespace: ns.openWebUi.name, podLabels: props.openWebUi.podLabels }, { name: 'bridge-from-open-webui', reason: 'Only Open WebUI calls the bridge', ports: [8080], podLabels: props.bridge.podLabels });
    chat.allowEgress({ namespace: ns.ollama.name, podLabels: props.ollama.podLabels }, { name: 'open-webui-to-ollama', reason: 'Open WebUI chats with Ollama models directly', ports: [props.ollama.port], podLabels: props.openWebUi.podLabels });
    chat.allowEgress(same(ns.kagent), { name: 'bridge-to-kagent', reason: 'The bridge speaks A2A to the kagent controller', ports: [8083], podLabels: props.bridge.podLabels });
    chat.allowInternetEgress({ name: 'open-webui-internet', reason: 'Open WebUI downloads embedding models and fetches web content on request', ports: [443], podLabels: props.openWebUi.podLabels });

    kagent.allowIngress({ namespace: ns.openWebUi.name, podLabels: props.bridge.podLabels }, { name: 'controller-from-bridge', reason: 'A2A requests from the bridge', ports: [8083] });
    kagent.allowIngress(same(ns.kagent), { name: 'within-kagent', reason: 'Controller, UI, tools and agent pods talk to each other (A2A between agents on 8080)', ports: [8080, 8083, 8084, 9443] });
    kagent.allowEgress(same(ns.kagent), { name: 'kagent-internal', reason: 'Agents call the controller, the tool server and each other', ports: [8080, 8083, 8084, 9443] });
    kagent.allowEgress({ namespace: ns.ollama.name, podLabels: props.ollama.podLabels }, { name: 'agents-to-ollama', reason: 'Agents call their models on Ollama', ports: [props.ollama.port] });
    kagent.allowEgress(same(ns.toolhive), { name: 'agents-to-toolhive', reason: 'Agents call MCP servers through the ToolHive proxies', ports: [...new Set(props.mcpServers.map((s) => s.proxyPort))] });
    kagent.allowKubernetesApi({ name: 'kagent-kubernetes-api', reason: 'The controller reconciles agents; the Kubernetes tools read the cluster' });

    ollama.allowIngress(same(ns.kagent), { name: 'ollama-from-agents', reason: 'kagent agents call models', ports: [props.ollama.port], podLabels: props.ollama.podLabels });
    ollama.allowIngress({ namespace: ns.openWebUi.name, podLabels: props.openWebUi.podLabels }, { name: 'ollama-from-open-webui', reason: 'Open WebUI chats with models', ports: [props.ollama.port], podLabels: props.ollama.podLabels });
    ollama.allowIngress(same(ns.ollama), { name: 'ollama-from-pull-job', reason: 'The model pull Job asks the server to pull', ports: [props.ollama.port], podLabels: props.ollama.podLabels });
    ollama.allowEgress({ namespace: ns.ollama.name, podLabels: props.ollama.podLabels }, { name: 'pull-job-to-ollama', reason: 'The pull Job reaches the server', ports: [props.ollama.port], podLabels: { 'app.kubernetes.io/name': 'ollama-pull-models' } });
    ollama.allowInternetEgress({ name: 'ollama-cloud', reason: 'Model downloads and :cloud models on ollama.com', ports: [443], podLabels: props.ollama.podLabels });

    toolhive.allowIngress(same(ns.kagent), { name: 'mcp-from-agents', reason: 'kagent agents call the MCP proxies', ports: [...new Set(props.mcpServers.map((s) => s.proxyPort))] });
    toolhive.allowIngress(same(ns.toolhive), { name: 'within-toolhive', reason: 'Proxy runners talk to their MCP server pods', ports: [8080, 8081] });
    toolhive.allowEgress(same(ns.toolhive), { name: 'toolhive-internal', reason: 'Proxy runners reach their MCP server pods', ports: [8080, 8081] });
    toolhive.allowEgress({ namespace: ns.searxng.name, podLabels: props.searxng.podLabels }, { name: 'mcp-to-searxng', reason: 'The SearXNG MCP server queries SearXNG', ports: [8080] });
    toolhive.allowInternetEgress({ name: 'mcp-internet', reason: 'MCP servers call Azure DevOps and read web pages over HTTPS', ports: [443] });
    if (props.inClusterToolPorts && props.inClusterToolPorts.length > 0) {
      toolhive.allowEgress({}, { name: 'mcp-in-cluster-tools', reason: 'MCP servers call in-cluster services (Grafana)', ports: props.inClusterToolPorts });
    }
    toolhive.allowKubernetesApi({ name: 'toolhive-kubernetes-api', reason: 'The operator reconciles MCPServers; proxy runners attach to their server pods' });

    searxng.allowIngress(same(ns.toolhive), { name: 'searxng-from-mcp', reason: 'Only the SearXNG MCP server searches', ports: [8080], podLabels: props.searxng.podLabels });
    searxng.allowInternetEgress({ name: 'searxng-engines', reason: 'SearXNG queries public search engines', ports: [80, 443], podLabels: props.searxng.podLabels });
  }
}

import { App } from 'cdk8s';
import { Agent } from './agents/agent';
import { KagentInstall, type KagentBuiltInAgent } from './agents/kagent-install';
import { Orchestrator } from './agents/orchestrator';
import { promptFile } from './agents/system-prompt';
import { Topology } from './agents/topology';
import { A2aBridge } from './chat/a2a-bridge';
import { bridgeBundle } from './chat/bridge-bundle';
import { OpenWebUi } from './chat/open-webui';
import { OpenWebUiPipe } from './chat/open-webui-pipe';
import { parsePlatformConfig, type PlatformConfigInput } from './config/platform-config';
import { REFERENCE_CONFIG } from './config/reference-config';
import { AppOfApps } from './gitops/app-of-apps';
import { SyncWave } from './gitops/sync-wave';
import { Ollama } from './models/ollama';
import { OllamaModelConfig } from './models/ollama-model-config';
import { PlatformFirewall } from './namespaces/platform-firewall';
import { SecurityReport } from './namespaces/security-report';
import { TalosNamespace } from './namespaces/talos-namespace';
import { PlatformChart } from './synth/platform-chart';
import { SecretsInventory } from './synth/secrets-inventory';
import { runSynth } from './synth/synthesize';
import { AzureDevOpsMcpServer, type AzureDevOpsDomain } from './tools/azure-devops-mcp-server';
import { GrafanaMcpServer } from './tools/grafana-mcp-server';
import { RemoteMcpServer } from './tools/remote-mcp-server';
import { Searxng } from './tools/searxng';
import { SearxngMcpServer } from './tools/searxng-mcp-server';
import { ToolHiveOperator } from './tools/toolhive-operator';

export interface BuildOptions {
  /** The bundled bridge; tests pass a stub string to skip bundling. @default - bundled from `bridge/` */
  readonly bridgeBundle?: string;
}

/** Composes the reference platform (the seed's swarm) from a validated config. */
export function buildPlatform(input: PlatformConfigInput = REFERENCE_CONFIG, options: BuildOptions = {}): App {
  const config = parsePlatformConfig(input);
  const { images } = config.versions;
  const app = new App();

  // Namespaces: restricted unless a workload needs less, with the reason on record.
  const namespacesChart = new PlatformChart(app, 'namespaces', { folder: 'namespaces' });
  const ns = {
    kagent: new TalosNamespace(namespacesChart, 'kagent', {
      name: config.namespaces.kagent, podSecurity: 'baseline',
      podSecurityReason: 'kagent 0.7.23 chart pods (controller, UI, kmcp, tools) do not all set runAsNonRoot; agent pods themselves are restricted',
    }),
    ollama: new TalosNamespace(namespacesChart, 'ollama', { name: config.namespaces.ollama }),
    toolhive: new TalosNamespace(namespacesChart, 'toolhive', {
      name: config.namespaces.toolhive, podSecurity: 'baseline',
      podSecurityReason: 'the ToolHive operator creates proxy-runner pods whose security context it controls, not this repository',
    }),
    searxng: new TalosNamespace(namespacesChart, 'searxng', { name: config.namespaces.searxng }),
    openWebUi: new TalosNamespace(namespacesChart, 'open-webui', {
      name: config.namespaces.openWebUi, podSecurity: 'baseline',
      podSecurityReason: 'the Open WebUI image runs as root (upstream: non-root untested); it still drops all capabilities',
    }),
  };

  // Argo CD: the app-of-apps every other chart plugs into.
  const argocdChart = new PlatformChart(app, 'argocd', { folder: 'argocd' });
  const gitops = new AppOfApps(argocdChart, 'platform', { git: config.gitops, argocdNamespace: config.gitops.argocdNamespace, folder: argocdChart.folder });

  // Models.
  const ollamaChart = new PlatformChart(app, 'ollama', { folder: 'ollama', namespace: ns.ollama.name });
  const ollama = new Ollama(ollamaChart, 'ollama', {
    ...config.ollama,
    namespace: ns.ollama,
    image: images.ollama,
    gpu: config.ollama.gpuCount ? { count: config.ollama.gpuCount } : undefined,
    models: ['kimi-k2.6:cloud', 'glm-5.1:cloud', 'kimi-k2-thinking:cloud'],
  });

  // Tools: ToolHive and its MCP servers.
  new ToolHiveOperator(argocdChart, 'toolhive-operator', { gitops, namespace: ns.toolhive, version: config.versions.toolhive });
  const searxngChart = new PlatformChart(app, 'searxng', { folder: 'searxng', namespace: ns.searxng.name });
  const searxng = new Searxng(searxngChart, 'searxng', { namespace: ns.searxng, secretKeySecret: config.searxng.secretKeySecret, image: images.searxng });
  const toolsChart = new PlatformChart(app, 'toolhive', { folder: 'toolhive', namespace: ns.toolhive.name });
  const azureDevOps = new AzureDevOpsMcpServer(toolsChart, 'azure-devops', {
    namespace: ns.toolhive, organization: config.azureDevOps.organization, patSecret: config.azureDevOps.patSecret,
    domains: config.azureDevOps.domains as AzureDevOpsDomain[] | undefined, image: images.mcpAzureDevOps,
  });
  const search = new SearxngMcpServer(toolsChart, 'searxng', { namespace: ns.toolhive, searxng, image: images.mcpSearxng });
  const grafana = new GrafanaMcpServer(toolsChart, 'grafana', { namespace: ns.toolhive, grafanaUrl: config.grafana.url, tokenSecret: config.grafana.tokenSecret, image: images.mcpGrafana });

  // Agents: kagent, its models, tool registrations and the swarm.
  const kagentChart = new PlatformChart(app, 'agents', { folder: 'agents', namespace: ns.kagent.name });
  const kagent = new KagentInstall(kagentChart, 'kagent', {
    gitops, namespace: ns.kagent, ollama, defaultModel: 'kimi-k2.6:cloud', version: config.versions.kagent,
    builtInAgents: config.kagent.builtInAgents as KagentBuiltInAgent[], a2aBaseUrl: config.kagent.a2aBaseUrl,
    streamingTimeout: config.kagent.streamingTimeout, database: config.kagent.database,
  });
  const kimi = new OllamaModelConfig(kagentChart, 'kimi', { ollama, model: 'kimi-k2.6:cloud', options: { num_ctx: '32768' } });
  new OllamaModelConfig(kagentChart, 'glm', { ollama, model: 'glm-5.1:cloud', options: { num_ctx: '32768' } });
  const kimiThinking = new OllamaModelConfig(kagentChart, 'kimi-thinking', { ollama, model: 'kimi-k2-thinking:cloud', options: { num_ctx: '65536' } });
  const k8sTools = new RemoteMcpServer(kagentChart, 'kagent-k8s-tools', {
    name: 'kagent-k8s-tools', url: kagent.toolsUrl, description: "kagent's built-in Kubernetes, Helm and Prometheus tools",
  });
  const specialists = [
    new Agent(kagentChart, 'azure-devops-agent', {
      name: 'azure-devops', description: 'Senior PO agent for Azure DevOps User Stories: creates, reads and searches work items following the working agreement',
      systemPrompt: promptFile('azure-devops.md'), modelConfig: kimi, tools: [azureDevOps.toKagent(kagentChart)],
    }),
    new Agent(kagentChart, 'k8s-agent', {
      name: 'my-first-k8s-agent', description: 'Kubernetes operations on the Talos cluster: inspects resources, events and logs',
      systemPrompt: promptFile('kubernetes.md'), modelConfig: kimi,
      tools: [k8sTools],
    }),
    new Agent(kagentChart, 'research-agent', {
      name: 'research', description: 'Web research through the private SearXNG instance, with cited sources',
      systemPrompt: promptFile('research.md'), modelConfig: kimi, tools: [search.toKagent(kagentChart)],
    }),
    new Agent(kagentChart, 'grafana-agent', {
      name: 'grafana', description: 'Observability: Grafana dashboards, Prometheus metrics, Loki logs and alerts (read-only)',
      systemPrompt: promptFile('grafana.md'), modelConfig: kimi, tools: [grafana.toKagent(kagentChart)],
    }),
  ];
  const jairix = new Orchestrator(kagentChart, 'jairix', {
    name: 'jairix', description: 'Orchestrator: routes every request to the right specialist agent over A2A',
    modelConfig: kimiThinking, delegates: specialists,
  });
  new Topology(kagentChart, 'topology');

  // Chat: Open WebUI and the OpenAI-compatible A2A bridge.
  const chatChart = new PlatformChart(app, 'openwebui', { folder: 'openwebui', namespace: ns.openWebUi.name });
  const exposed = [jairix, ...specialists];
  const bridge = new A2aBridge(chatChart, 'bridge', { namespace: ns.openWebUi, kagent, agents: exposed, bundle: options.bridgeBundle ?? bridgeBundle(), image: images.node });
  const openWebUi = new OpenWebUi(chatChart, 'open-webui', {
    namespace: ns.openWebUi, secretKeySecret: config.openWebUi.secretKeySecret, ollama, bridge, image: images.openWebUi,
    storageSize: config.openWebUi.storageSize,
    ingress: config.openWebUi.host ? { host: config.openWebUi.host, ingressClassName: config.openWebUi.ingressClassName } : undefined,
  });

  new OpenWebUiPipe(chatChart, 'pipe', { openWebUi, kagent, agents: exposed, image: images.openWebUi, register: config.openWebUi.registerPipe });

  new PlatformFirewall(namespacesChart, 'firewall', {
    namespaces: ns, ollama, kagent, mcpServers: [azureDevOps, search, grafana], searxng, openWebUi, bridge,
    inClusterToolPorts: [grafana.grafanaPort],
  });

  gitops.addChart(namespacesChart, { wave: SyncWave.NAMESPACES });
  gitops.addChart(ollamaChart, { wave: SyncWave.WORKLOADS });
  gitops.addChart(searxngChart, { wave: SyncWave.WORKLOADS });
  gitops.addChart(chatChart, { wave: SyncWave.WORKLOADS });
  gitops.addChart(toolsChart, { wave: SyncWave.CUSTOM_RESOURCES, customResources: true });
  gitops.addChart(kagentChart, { wave: SyncWave.CUSTOM_RESOURCES, customResources: true });
  new SecretsInventory(app, 'secrets');
  new SecurityReport(app, 'security');
  return app;
}

/** `cdk8s synth` entry: build the reference platform and publish it to `dist/`. */
export function main(): void {
  runSynth(() => buildPlatform());
}

if (require.main === module) main();

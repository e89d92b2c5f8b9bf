import type { Construct } from 'constructs';
import type { KagentInstall } from '../agents/kagent-install';
import type { PlatformConfig } from './config/platform-config';
import type { AppOfApps } from '../gitops/app-of-apps';
import { AzureDevOpsMcpServer, type AzureDevOpsDomain } from '../tools/azure-devops-mcp-server';
import { GrafanaMcpServer } from '../tools/grafana-mcp-server';
import type { McpServer } from '../tools/mcp-server';
import { RemoteMcpServer } from '../tools/remote-mcp-server';
import { Searxng } from '../tools/searxng';
import { SearxngMcpServer } from '../tools/searxng-mcp-server';
import { ToolHiveOperator } from '../tools/toolhive-operator';
import type { InClusterTool } from './platform-firewall';
import type { PlatformNamespaces } from './platform-namespaces';
import { KAGENT_WRITE_TOOLS } from '../tools/kagent-tools';

/** What the tools layer of a platform consists of. */
export interface PlatformTools {
  /** Every MCP server registered in kagent, by the name agents use in config. */
  readonly registrations: ReadonlyMap<string, RemoteMcpServer>;
  /** The ToolHive-run servers (their proxies need network paths). */
  readonly toolhiveServers: readonly McpServer[];
  readonly operator?: ToolHiveOperator;
  readonly searxng?: Searxng;
  /** In-cluster services the MCP servers call (e.g. Grafana). */
  readonly inClusterTools: readonly InClusterTool[];
}

export interface BuildToolsProps {
  readonly config: PlatformConfig;
  readonly gitops: AppOfApps;
  readonly namespaces: PlatformNamespaces;
  /** Where the kagent registrations (RemoteMCPServers) go. */
  readonly agentsChart: Construct;
  readonly toolhiveChart?: Construct;
  readonly searxngChart?: Construct;
  readonly kagent: KagentInstall;
}

/** The ToolHive operator, the configured MCP servers and their kagent registrations. */
export function buildTools(props: BuildToolsProps): PlatformTools {
  const { config, namespaces, agentsChart } = props;
  const images = config.versions.images;
  const servers: McpServer[] = [];
  const registrations = new Map<string, RemoteMcpServer>();
  const inClusterTools: InClusterTool[] = [];
  let operator: ToolHiveOperator | undefined;
  let searxng: Searxng | undefined;
  const toolhive = namespaces.toolhive;
  if (toolhive && props.toolhiveChart) {
    operator = new ToolHiveOperator(props.gitops, 'toolhive-operator', { namespace: toolhive, version: config.versions.toolhive });
    props.gitops.addHelmReleases(operator.helmReleases);
    if (config.azureDevOps) {
      const ado = config.azureDevOps;
      servers.push(
        new AzureDevOpsMcpServer(props.toolhiveChart, 'azure-devops', {
          namespace: toolhive,
          organization: ado.organization,
          patSecret: ado.patSecret,
          domains: ado.domains as AzureDevOpsDomain[] | undefined,
          tools: ado.tools,
          image: images.mcpAzureDevOps,
        }),
      );
    }
    if (config.searxng && namespaces.searxng && props.searxngChart) {
      searxng = new Searxng(props.searxngChart, 'searxng', {
        namespace: namespaces.searxng,
        secretKeySecret: config.searxng.secretKeySecret,
        image: images.searxng,
      });
      servers.push(new SearxngMcpServer(props.toolhiveChart, 'searxng', { namespace: toolhive, searxng, image: images.mcpSearxng }));
    }
    if (config.grafana) {
      const grafana = new GrafanaMcpServer(props.toolhiveChart, 'grafana', {
        namespace: toolhive,
        grafanaUrl: config.grafana.url,
        tokenSecret: config.grafana.tokenSecret,
        image: images.mcpGrafana,
        grafanaPodPort: config.grafana.podPort,
        grafanaNamespace: config.grafana.namespace,
      });
      servers.push(grafana);
      inClusterTools.push({ name: 'grafana', ...grafana.grafana });
    }
  }
  for (const server of servers) registrations.set(server.name, server.toKagent(agentsChart));
  if (config.kagent.tools) {
    registrations.set(
      'kagent-k8s-tools',
      new RemoteMcpServer(agentsChart, 'kagent-k8s-tools', {
        name: 'kagent-k8s-tools',
        url: props.kagent.toolsUrl,
        description: "kagent's built-in Kubernetes, Helm and Prometheus tools",
        // Read-only, the server does not offer its write tools at all.
        writeTools: props.kagent.toolServer === 'cluster-admin' ? KAGENT_WRITE_TOOLS : undefined,
      }),
    );
  }
  for (const remote of config.remoteMcpServers) {
    if (registrations.has(remote.name))
      throw new Error(`${agentsChart.node.path}: config.remoteMcpServers: "${remote.name}" is already the name of a configured MCP server; rename it`);
    registrations.set(remote.name, new RemoteMcpServer(agentsChart, `remote-${remote.name}`, remote));
  }
  return { registrations, toolhiveServers: servers, operator, searxng, inClusterTools };
}

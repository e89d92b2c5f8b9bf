import type { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { NamespaceInput } from '../namespaces/namespace-input';
import type { SecretKeyRef } from '../core/secret-ref';
import { McpServer } from './mcp-server';

export interface GrafanaMcpServerProps {
  /** Namespace of the MCP server. */
  readonly namespace: NamespaceInput;
  /** Grafana base URL, e.g. `http://grafana.monitoring:3000`. */
  readonly grafanaUrl: string;
  /** Secret holding a Grafana service-account token. */
  readonly tokenSecret: SecretKeyRef;
  /**
   * Image.
   * @default VERSIONS.images.mcpGrafana
   */
  readonly image?: string;
  /**
   * The port Grafana's pods listen on. Network policies match pod ports, after the Service's port mapping
   * (a default Grafana install maps Service port 80 to pod port 3000).
   * @default 3000
   */
  readonly grafanaPodPort?: number;
  /**
   * Grafana's namespace.
   * @default - the second label of the URL's host (`grafana.monitoring.svc` → `monitoring`)
   */
  readonly grafanaNamespace?: string;
  /**
   * Expose only read tools (`--disable-write`).
   * @default true
   */
  readonly readOnly?: boolean;
}

/**
 * Grafana's MCP server over stdio (`-t stdio` overrides the image's SSE default, which would also need
 * `--allowed-hosts` behind a Service).
 */
export class GrafanaMcpServer extends McpServer {
  /** Grafana as a network-policy destination: its namespace and pod port. */
  public readonly grafana: { readonly namespace: string; readonly podPort: number };

  constructor(scope: Construct, id: string, props: GrafanaMcpServerProps) {
    if (!/^https?:\/\//.test(props.grafanaUrl ?? '')) {
      throw new Error(`${scope.node.path}/${id}: grafanaUrl "${props.grafanaUrl}" must be an http(s) URL, e.g. "http://grafana.monitoring:3000"`);
    }
    super(scope, id, {
      name: 'grafana',
      namespace: props.namespace,
      image: props.image ?? VERSIONS.images.mcpGrafana,
      description: 'Grafana: dashboards, datasources, Prometheus and Loki queries, alerts',
      transport: 'stdio',
      args: ['-t', 'stdio', ...((props.readOnly ?? true) ? ['--disable-write'] : [])],
      env: { GRAFANA_URL: props.grafanaUrl },
      secrets: [{ ...props.tokenSecret, targetEnvName: 'GRAFANA_SERVICE_ACCOUNT_TOKEN', purpose: 'Grafana service-account token' }],
      permissionProfile: 'network',
    });
    const labels = new URL(props.grafanaUrl).hostname.split('.');
    const namespace = props.grafanaNamespace ?? (labels.length > 1 ? labels[1] : undefined);
    if (!namespace) {
      throw new Error(
        `${this.node.path}: cannot tell Grafana's namespace from "${props.grafanaUrl}"; use a URL like "http://grafana.monitoring:80" or set grafanaNamespace`,
      );
    }
    const podPort = props.grafanaPodPort ?? 3000;
    if (!Number.isInteger(podPort) || podPort < 1 || podPort > 65535)
      throw new Error(`${this.node.path}: grafanaPodPort must be a port number, got ${podPort}`);
    this.grafana = { namespace, podPort };
  }
}

import type { Construct } from 'constructs';
import { VERSIONS } from '../config/versions';
import type { TalosNamespace } from '../namespaces/talos-namespace';
import type { SecretKeyRef } from '../util/secret-ref';
import { McpServer } from './mcp-server';

export interface GrafanaMcpServerProps {
  /** Namespace of the MCP server. */
  readonly namespace: TalosNamespace;
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
  /** The TCP port the server calls Grafana on (explicit, or implied by the URL's scheme), for egress rules. */
  public readonly grafanaPort: number;

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
    const url = new URL(props.grafanaUrl);
    this.grafanaPort = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  }
}

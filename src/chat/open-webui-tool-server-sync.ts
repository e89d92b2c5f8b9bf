import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { PIPE_DIR } from '../core/paths';
import { assertPinnedImage } from '../core/image';
import { RequiredSecret } from '../core/required-secret';
import type { SecretKeyRef } from '../core/secret-ref';
import type { ToolServerConnection } from './kagent-mcp-tool-server';
import { openWebUiAdminJob } from './open-webui-admin-job';

export interface OpenWebUiToolServerSyncProps {
  /** Namespace of Open WebUI. */
  readonly namespace: string;
  /** Open WebUI's in-cluster URL. */
  readonly openWebUiUrl: string;
  /** The connections kept in step with Git (matched by `info.id`; others are left alone). */
  readonly connections: readonly ToolServerConnection[];
  /** Secret with an Open WebUI admin API key. */
  readonly adminApiKeySecret: SecretKeyRef;
  /** Image with Python 3 (Open WebUI's own is already on the node). */
  readonly image: string;
  /**
   * Extra labels on the Job's pod, for network policies.
   * @default {}
   */
  readonly podLabels?: Readonly<Record<string, string>>;
}

const NAME = 'sync-open-webui-tool-servers';

/**
 * A PostSync Job that writes the tool-server connections into Open WebUI through its admin API on every sync,
 * because `TOOL_SERVER_CONNECTIONS` only seeds Open WebUI's database on the first start.
 */
export class OpenWebUiToolServerSync extends Construct {
  /** Labels of the Job's pod (`app.kubernetes.io/name` plus `podLabels`). */
  public readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: OpenWebUiToolServerSyncProps) {
    super(scope, id);
    assertPinnedImage(this, 'image', props.image);
    if (props.connections.length === 0) throw new Error(`${this.node.path}: connections is empty; there is nothing to keep in step`);
    this.podLabels = { ...props.podLabels, 'app.kubernetes.io/name': NAME };
    const key = props.adminApiKeySecret;
    new RequiredSecret(this, 'AdminKey', {
      namespace: props.namespace,
      ref: key,
      purpose: 'Open WebUI admin API key (keeps tool-server connections in step with Git)',
    });
    new k8s.KubeConfigMap(this, 'Source', {
      metadata: { name: NAME, namespace: props.namespace },
      data: {
        'tool_servers.json': `${JSON.stringify(props.connections, null, 2)}\n`,
        'register_tool_servers.py': readFileSync(join(PIPE_DIR, 'register_tool_servers.py'), 'utf8'),
      },
    });
    openWebUiAdminJob(this, 'Resource', {
      name: NAME,
      namespace: props.namespace,
      podLabels: this.podLabels,
      image: props.image,
      container: 'sync',
      configMap: NAME,
      mountPath: '/sync',
      script: 'register_tool_servers.py',
      openWebUiUrl: props.openWebUiUrl,
      adminApiKeySecret: key,
      env: [{ name: 'TOOL_SERVERS_FILE', value: '/sync/tool_servers.json' }],
    });
  }
}

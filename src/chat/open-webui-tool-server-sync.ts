import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { PIPE_DIR } from '../paths';
import { assertPinnedImage } from '../util/image';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../util/pod-security';
import { RequiredSecret } from '../util/required-secret';
import type { SecretKeyRef } from '../util/secret-ref';
import type { ToolServerConnection } from './kagent-mcp-tool-server';

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
    new RequiredSecret(this, 'AdminKey', { namespace: props.namespace, ref: key, purpose: 'Open WebUI admin API key (keeps tool-server connections in step with Git)' });
    new k8s.KubeConfigMap(this, 'Source', {
      metadata: { name: NAME, namespace: props.namespace },
      data: {
        'tool_servers.json': `${JSON.stringify(props.connections, null, 2)}\n`,
        'register_tool_servers.py': readFileSync(join(PIPE_DIR, 'register_tool_servers.py'), 'utf8'),
      },
    });
    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: NAME,
        namespace: props.namespace,
        annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
      },
      spec: {
        backoffLimit: 4,
        template: {
          metadata: { labels: this.podLabels },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(1000),
            containers: [
              {
                name: 'sync',
                image: props.image,
                imagePullPolicy: 'IfNotPresent',
                command: ['python3', '/sync/register_tool_servers.py'],
                env: [
                  { name: 'OPENWEBUI_URL', value: props.openWebUiUrl },
                  { name: 'OPENWEBUI_API_KEY', valueFrom: { secretKeyRef: { name: key.name, key: key.key } } },
                  { name: 'TOOL_SERVERS_FILE', value: '/sync/tool_servers.json' },
                ],
                resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') }, limits: { memory: k8s.Quantity.fromString('128Mi') } },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: 'sync', mountPath: '/sync', readOnly: true }],
              },
            ],
            volumes: [{ name: 'sync', configMap: { name: NAME } }],
          },
        },
      },
    });
  }
}

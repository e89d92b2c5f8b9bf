import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import { VERSIONS } from '../config/versions';
import type { Ollama } from '../models/ollama';
import type { TalosNamespace } from '../namespaces/talos-namespace';
import { httpProbes, httpService } from '../util/http-workload';
import { assertPinnedImage } from '../util/image';
import { RequiredSecret } from '../util/required-secret';
import { assertResources, toResourceRequirements, type ContainerResources } from '../util/resources';
import type { SecretKeyRef } from '../util/secret-ref';
import type { A2aBridge } from './a2a-bridge';

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

export interface OpenWebUiProps {
  /** Namespace. */
  readonly namespace: TalosNamespace;
  /** Secret with WEBUI_SECRET_KEY; without it every new pod logs everyone out. */
  readonly secretKeySecret: SecretKeyRef;
  /** Ollama, for plain model chats. */
  readonly ollama: Ollama;
  /** The A2A bridge, for agent chats (an OpenAI connection). */
  readonly bridge: A2aBridge;
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
}

const PORT = 8080;

/**
 * Open WebUI: one replica (several need Redis for websockets) on a PVC at /app/backend/data, wired to Ollama
 * and to the bridge's `/v1`, forwarding `X-OpenWebUI-Chat-Id` so agent conversations keep their context.
 *
 * The image runs as root and upstream calls non-root untested, so the pod keeps uid 0 but drops every
 * capability, forbids privilege escalation and uses the RuntimeDefault seccomp profile; the namespace
 * therefore enforces `baseline` (see SECURITY.md).
 */
export class OpenWebUi extends Construct {
  public readonly name = 'open-webui';
  public readonly namespace: string;
  public readonly url: string;
  public readonly podLabels: Record<string, string> = { 'app.kubernetes.io/name': 'open-webui' };

  constructor(scope: Construct, id: string, props: OpenWebUiProps) {
    super(scope, id);
    this.namespace = props.namespace.name;
    this.url = `http://${this.name}.${this.namespace}.svc.cluster.local:${PORT}`;
    const image = props.image ?? VERSIONS.images.openWebUi;
    assertPinnedImage(this, 'image', image);
    const resources = props.resources ?? { cpuRequest: '100m', memoryRequest: '512Mi', memoryLimit: '2Gi' };
    assertResources(this, 'resources', resources);
    new RequiredSecret(this, 'SecretKey', { namespace: this.namespace, ref: props.secretKeySecret, purpose: 'Open WebUI session signing key (WEBUI_SECRET_KEY)' });
    const metadata = { name: this.name, namespace: this.namespace, labels: this.podLabels };
    new k8s.KubePersistentVolumeClaim(this, 'Data', {
      metadata: { ...metadata, name: 'open-webui-data' },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: k8s.Quantity.fromString(props.storageSize ?? '10Gi') } } },
    });
    httpService(this, { name: this.name, namespace: this.namespace, labels: this.podLabels, port: PORT });
    if (props.ingress) this.ingress(props.ingress);
    new k8s.KubeStatefulSet(this, 'Resource', {
      metadata,
      spec: {
        replicas: 1,
        serviceName: this.name,
        selector: { matchLabels: this.podLabels },
        template: {
          metadata: { labels: this.podLabels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'open-webui',
                image,
                imagePullPolicy: 'IfNotPresent',
                ports: [{ name: 'http', containerPort: PORT }],
                env: this.env(props),
                resources: toResourceRequirements(resources),
                securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, seccompProfile: { type: 'RuntimeDefault' } },
                ...httpProbes({ path: '/health', port: PORT, startupFailureThreshold: 60, startupPeriodSeconds: 5 }),
                volumeMounts: [{ name: 'data', mountPath: '/app/backend/data' }],
              },
            ],
            volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'open-webui-data' } }],
          },
        },
      },
    });
  }

  private env(props: OpenWebUiProps): k8s.EnvVar[] {
    return [
      { name: 'WEBUI_SECRET_KEY', valueFrom: { secretKeyRef: { name: props.secretKeySecret.name, key: props.secretKeySecret.key } } },
      { name: 'OLLAMA_BASE_URL', value: props.ollama.url },
      { name: 'ENABLE_OPENAI_API', value: 'true' },
      { name: 'OPENAI_API_BASE_URLS', value: props.bridge.openAiBaseUrl },
      // The bridge ignores the key; Open WebUI needs one entry per URL.
      { name: 'OPENAI_API_KEYS', value: 'unused' },
      { name: 'ENABLE_FORWARD_USER_INFO_HEADERS', value: 'true' },
      { name: 'ANONYMIZED_TELEMETRY', value: 'false' },
      { name: 'DO_NOT_TRACK', value: 'true' },
    ];
  }

  private ingress(ingress: OpenWebUiIngress): void {
    if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(ingress.host)) {
      throw new Error(`${this.node.path}: ingress.host "${ingress.host}" is not a host name (e.g. "chat.lab.example")`);
    }
    new k8s.KubeIngress(this, 'Ingress', {
      metadata: { name: this.name, namespace: this.namespace, labels: this.podLabels },
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

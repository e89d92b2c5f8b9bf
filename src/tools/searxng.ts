import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { VERSIONS } from '../core/versions';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertPinnedImage } from '../core/image';
import { containerProbes, httpGet } from '../core/probes';
import { RequiredSecret } from '../core/required-secret';
import type { SecretKeyRef } from '../core/secret-ref';
import { emptyDirMount, WorkloadBuilder } from '../core/workload';

export interface SearxngProps {
  /** Namespace. */
  readonly namespace: NamespaceInput;
  /** Secret holding `server.secret_key` (passed as SEARXNG_SECRET, never in the ConfigMap). */
  readonly secretKeySecret: SecretKeyRef;
  /**
   * Image.
   * @default VERSIONS.images.searxng
   */
  readonly image?: string;
  /**
   * Search engines to enable (SearXNG names); others keep SearXNG's defaults.
   * @default - SearXNG's default engine set
   */
  readonly engines?: readonly string[];
}

const PORT = 8080;
/** The image's `searxng` user. */
const SEARXNG_UID = 977;

/**
 * A private SearXNG for the research agent: JSON output enabled (mcp-searxng needs it; the default `html`
 * only answers 403), limiter off (in-cluster callers only, no valkey needed).
 */
export class Searxng extends Construct {
  public readonly name = 'searxng';
  public readonly namespace: string;
  /** In-cluster URL. */
  public readonly url: string;
  public readonly podLabels: Record<string, string> = { 'app.kubernetes.io/name': 'searxng' };
  /** HTTP port of the pods and the Service. */
  public readonly port = PORT;

  constructor(scope: Construct, id: string, props: SearxngProps) {
    super(scope, id);
    this.namespace = namespaceName(props.namespace);
    this.url = `http://${this.name}.${this.namespace}.svc.cluster.local:${PORT}`;
    const image = props.image ?? VERSIONS.images.searxng;
    assertPinnedImage(this, 'image', image);
    new RequiredSecret(this, 'SecretKey', { namespace: this.namespace, ref: props.secretKeySecret, purpose: 'SearXNG server secret key' });
    const metadata = { name: this.name, namespace: this.namespace, labels: this.podLabels };
    const settings = {
      use_default_settings: props.engines ? { engines: { keep_only: [...props.engines] } } : true,
      server: { limiter: false, image_proxy: false, public_instance: false },
      search: { formats: ['html', 'json'], safe_search: 0 },
    };
    new k8s.KubeConfigMap(this, 'Settings', {
      metadata: { ...metadata, name: 'searxng-settings' },
      data: { 'settings.yml': yaml.dump(settings, { lineWidth: -1 }) },
    });
    const workload = new WorkloadBuilder(this, { ...metadata, port: { name: 'http', port: PORT } });
    workload.service();
    workload.deployment({
      user: SEARXNG_UID,
      container: {
        name: 'searxng',
        image,
        env: [
          { name: 'SEARXNG_BASE_URL', value: `${this.url}/` },
          { name: 'SEARXNG_SECRET', valueFrom: { secretKeyRef: { name: props.secretKeySecret.name, key: props.secretKeySecret.key } } },
        ],
        resources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
        probes: containerProbes(httpGet('/healthz', PORT), { failureThreshold: 30, periodSeconds: 2 }),
        mounts: [
          emptyDirMount('config', '/etc/searxng'),
          {
            name: 'settings',
            mountPath: '/etc/searxng/settings.yml',
            subPath: 'settings.yml',
            readOnly: true,
            volume: { configMap: { name: 'searxng-settings' } },
          },
          emptyDirMount('cache', '/var/cache/searxng', '256Mi'),
          emptyDirMount('tmp', '/tmp', '64Mi'),
        ],
      },
    });
  }
}

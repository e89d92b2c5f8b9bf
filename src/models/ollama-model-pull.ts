import { Lazy } from 'cdk8s';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/pod-security';

/** What the Job needs of the server it pulls into (an `Ollama`; structural, so the two modules import one way). */
export interface OllamaPullTarget {
  readonly namespace: string;
  readonly image: string;
  /** The server's in-cluster URL. */
  readonly url: string;
  /** Read when the Job renders, so models declared later are pulled too. */
  readonly models: readonly string[];
  readonly pullJobPodLabels: Record<string, string>;
}

export interface OllamaModelPullProps {
  /** The server to pull into. */
  readonly ollama: OllamaPullTarget;
  /** Non-root user id. */
  readonly runAsUser: number;
}

/**
 * A Job that asks the server to pull every declared model. `ollama pull` is idempotent, and as an Argo CD
 * PostSync hook (recreated before each run) it re-runs whenever the platform syncs, so a fresh cluster, a
 * new model or a wiped volume all converge without manual steps.
 */
export class OllamaModelPull extends Construct {
  constructor(scope: Construct, id: string, props: OllamaModelPullProps) {
    super(scope, id);
    const { ollama } = props;
    new k8s.KubeJob(this, 'Resource', {
      metadata: {
        name: 'ollama-pull-models',
        namespace: ollama.namespace,
        labels: ollama.pullJobPodLabels,
        annotations: {
          'argocd.argoproj.io/hook': 'PostSync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      },
      spec: {
        backoffLimit: 6,
        template: {
          metadata: { labels: ollama.pullJobPodLabels },
          spec: {
            restartPolicy: 'OnFailure',
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(props.runAsUser),
            containers: [
              {
                name: 'pull',
                image: ollama.image,
                imagePullPolicy: 'IfNotPresent',
                command: Lazy.any({
                  produce: () => ['/bin/sh', '-c', 'set -e; for model in "$@"; do echo "pulling $model"; ollama pull "$model"; done', 'pull', ...ollama.models],
                }),
                env: [
                  { name: 'OLLAMA_HOST', value: ollama.url },
                  { name: 'HOME', value: '/tmp' },
                ],
                resources: {
                  requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
                  limits: { memory: k8s.Quantity.fromString('128Mi') },
                },
                securityContext: restrictedContainerSecurityContext(),
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: k8s.Quantity.fromString('64Mi') } }],
          },
        },
      },
    });
  }
}

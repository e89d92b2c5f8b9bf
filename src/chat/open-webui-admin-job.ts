import { k8s } from '../core/k8s';
import type { Construct } from 'constructs';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/pod-security';
import type { SecretKeyRef } from '../core/secret-ref';

/** A script that changes Open WebUI through its admin API, mounted from a ConfigMap. */
export interface OpenWebUiAdminJobOptions {
  /** Job name. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of the Job's pod, for network policies. */
  readonly podLabels: Record<string, string>;
  /** Image with Python 3. */
  readonly image: string;
  /** Container name. */
  readonly container: string;
  /** The ConfigMap holding the script (and its data). */
  readonly configMap: string;
  /** Where it is mounted, a top-level folder such as `/pipe` (its name is the volume's). */
  readonly mountPath: string;
  /** The script's file name in the ConfigMap. */
  readonly script: string;
  /** Open WebUI's in-cluster URL. */
  readonly openWebUiUrl: string;
  /** Secret with an Open WebUI admin API key. */
  readonly adminApiKeySecret: SecretKeyRef;
  /** Further environment of the script. */
  readonly env: readonly k8s.EnvVar[];
}

/**
 * An Argo CD PostSync Job (recreated before each run) that runs a Python script against Open WebUI's admin API
 * with the admin key from a Secret: restricted, no service-account token, small.
 */
export function openWebUiAdminJob(scope: Construct, id: string, options: OpenWebUiAdminJobOptions): k8s.KubeJob {
  const key = options.adminApiKeySecret;
  const volume = options.mountPath.replace(/^\//, '');
  return new k8s.KubeJob(scope, id, {
    metadata: {
      name: options.name,
      namespace: options.namespace,
      annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' },
    },
    spec: {
      backoffLimit: 4,
      template: {
        metadata: { labels: options.podLabels },
        spec: {
          restartPolicy: 'OnFailure',
          automountServiceAccountToken: false,
          securityContext: restrictedPodSecurityContext(1000),
          containers: [
            {
              name: options.container,
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['python3', `${options.mountPath}/${options.script}`],
              env: [
                { name: 'OPENWEBUI_URL', value: options.openWebUiUrl },
                { name: 'OPENWEBUI_API_KEY', valueFrom: { secretKeyRef: { name: key.name, key: key.key } } },
                ...options.env,
              ],
              resources: {
                requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') },
                limits: { memory: k8s.Quantity.fromString('128Mi') },
              },
              securityContext: restrictedContainerSecurityContext(),
              volumeMounts: [{ name: volume, mountPath: options.mountPath, readOnly: true }],
            },
          ],
          volumes: [{ name: volume, configMap: { name: options.configMap } }],
        },
      },
    },
  });
}

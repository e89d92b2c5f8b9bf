/** The pinned CRDs this project generates bindings and schemas for. Upstream URLs are in the README. */
export interface CrdSource {
  readonly group: string;
  readonly version: string;
  /** File names inside CRD_DIR. */
  readonly files: readonly string[];
}

export const CRD_SOURCES: readonly CrdSource[] = [
  { group: 'kagent.dev', version: 'v1alpha2', files: ['kagent/agent.yaml', 'kagent/modelconfig.yaml', 'kagent/remotemcpserver.yaml'] },
  {
    group: 'toolhive.stacklok.dev',
    version: 'v1beta1',
    files: ['toolhive/mcpserver.yaml', 'toolhive/mcptoolconfig.yaml', 'toolhive/mcpremoteproxy.yaml'],
  },
  { group: 'argoproj.io', version: 'v1alpha1', files: ['argocd/application-crd.yaml', 'argocd/appproject-crd.yaml'] },
];

/** Core kinds with an offline schema: apiVersion → client-node model names by kind. */
export const CORE_KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    Namespace: 'V1Namespace',
    ConfigMap: 'V1ConfigMap',
    Secret: 'V1Secret',
    Service: 'V1Service',
    ServiceAccount: 'V1ServiceAccount',
    PersistentVolumeClaim: 'V1PersistentVolumeClaim',
  },
  'apps/v1': { Deployment: 'V1Deployment', StatefulSet: 'V1StatefulSet' },
  'batch/v1': { Job: 'V1Job' },
  'networking.k8s.io/v1': { NetworkPolicy: 'V1NetworkPolicy', Ingress: 'V1Ingress' },
};

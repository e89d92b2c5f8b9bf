/** The pinned CRDs and charts this project generates bindings, schemas and chart data for. Upstream URLs are in the README. */
export interface CrdSource {
  readonly group: string;
  readonly version: string;
  /** File names inside CRD_DIR. */
  readonly files: readonly string[];
  /**
   * The files whose kinds the library renders, so `imports/<group>.ts` holds only those classes.
   * @default - none: schemas only (validation), no bindings
   */
  readonly bindings?: readonly string[];
}

/** CRDs whose schemas every kagent version shares: written to `schemas/crds/`, bindings to `imports/<group>.ts`. */
export const CRD_SOURCES: readonly CrdSource[] = [
  {
    group: 'toolhive.stacklok.dev',
    version: 'v1beta1',
    files: ['toolhive/mcpserver.yaml', 'toolhive/mcptoolconfig.yaml', 'toolhive/mcpremoteproxy.yaml'],
    bindings: ['toolhive/mcpserver.yaml', 'toolhive/mcptoolconfig.yaml'],
  },
  {
    group: 'argoproj.io',
    version: 'v1alpha1',
    files: ['argocd/application-crd.yaml', 'argocd/appproject-crd.yaml', 'argocd/applicationset-crd.yaml'],
    // ApplicationSet is rendered as a plain ApiObject (its binding alone was 77,000 lines).
    bindings: ['argocd/application-crd.yaml', 'argocd/appproject-crd.yaml'],
  },
  { group: 'cilium.io', version: 'v2', files: ['cilium/ciliumnetworkpolicy.yaml'] },
];

const KAGENT_FILES = ['agent.yaml', 'modelconfig.yaml', 'remotemcpserver.yaml'];

/**
 * The supported kagent versions, newest first: each one's CRD schemas go to `schemas/kagent/<version>/`;
 * the bindings (`imports/kagent.dev.ts`) are generated once, from the first (the default).
 */
export const KAGENT_CRD_SOURCES: Readonly<Record<string, CrdSource>> = {
  '0.9.12': {
    group: 'kagent.dev',
    version: 'v1alpha2',
    files: KAGENT_FILES.map((f) => `kagent-0.9.12/${f}`),
    bindings: KAGENT_FILES.map((f) => `kagent-0.9.12/${f}`),
  },
  '0.7.23': { group: 'kagent.dev', version: 'v1alpha2', files: KAGENT_FILES.map((f) => `kagent/${f}`) },
};

/** Core kinds with an offline schema: apiVersion → client-node model names by kind. */
export const CORE_KINDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  v1: {
    Namespace: 'V1Namespace',
    ConfigMap: 'V1ConfigMap',
    Secret: 'V1Secret',
    Service: 'V1Service',
    ServiceAccount: 'V1ServiceAccount',
    PersistentVolumeClaim: 'V1PersistentVolumeClaim',
    ResourceQuota: 'V1ResourceQuota',
    LimitRange: 'V1LimitRange',
  },
  'apps/v1': { Deployment: 'V1Deployment', StatefulSet: 'V1StatefulSet' },
  'batch/v1': { Job: 'V1Job' },
  'networking.k8s.io/v1': { NetworkPolicy: 'V1NetworkPolicy', Ingress: 'V1Ingress' },
  'rbac.authorization.k8s.io/v1': { Role: 'V1Role', RoleBinding: 'V1RoleBinding' },
};

/**
 * The Helm charts the Argo CD Applications install, by chart name → versions. Their default values (with the
 * subcharts' and the template-read paths) are copied from CHART_DIR (default ../shared/charts) to `charts/`.
 */
export const CHART_SOURCES: Readonly<Record<string, readonly string[]>> = {
  kagent: ['0.9.12', '0.7.23'],
  'kagent-crds': ['0.9.12', '0.7.23'],
  'toolhive-operator': ['0.44.0'],
  'toolhive-operator-crds': ['0.44.0'],
};

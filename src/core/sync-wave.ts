/**
 * Argo CD sync waves, in apply order: namespaces, then CRD charts, then operators and controllers, then
 * plain workloads, then the custom resources those controllers reconcile.
 */
export const SyncWave = {
  PROJECT: -1,
  NAMESPACES: 0,
  CRDS: 1,
  OPERATORS: 2,
  WORKLOADS: 3,
  CUSTOM_RESOURCES: 4,
} as const;

export type SyncWaveValue = (typeof SyncWave)[keyof typeof SyncWave];

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/**
 * What every layer shares: the chart and file constructs, the pinned versions, Pod Security levels, sync waves
 * and the value types of props.
 * @module core
 */
export { PlatformChart, type PlatformChartProps } from './platform-chart';
export { ExtraFile, type ExtraFileProps } from './extra-file';
export { VERSIONS, type PlatformVersions } from './versions';
export { DEFAULT_KAGENT_VERSION, SUPPORTED_KAGENT_VERSIONS, type KagentVersion } from './kagent-versions';
export { DEFAULT_POD_SECURITY, POD_SECURITY_LEVELS, type PodSecurityLevel } from './pod-security-levels';
export { SyncWave, type SyncWaveValue } from './sync-wave';
export type { HelmRelease } from './helm-release';
export type { KubeObject } from './kube-object';
export type { ContainerResources } from './resources';
export type { SecretKeyRef } from './secret-ref';
export type { UserIdSource } from './user-identity';
export { OPEN_WEBUI_ROLES, type ChatAccess, type OpenWebUiRole } from './chat-access';

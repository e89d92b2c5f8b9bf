export { AppOfApps, IN_CLUSTER, type AddChartOptions, type AppOfAppsProps, type ClusterTarget } from './app-of-apps';
export { ApplicationSet, type ApplicationSetElement, type ApplicationSetProps } from './application-set';
export { ArgoApplication, type ArgoApplicationProps, type DirectorySource, type OciHelmSource } from './argo-application';
export { ArgoProject, type ArgoGroupKind, type ArgoProjectProps } from './argo-project';
export type { GitSource } from './git-source';

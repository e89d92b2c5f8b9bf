export * from './app-of-apps';
export * from './application-health';
export * from './argo-application';
export * from './argo-project';
export type { GitSource } from './git-source';
export * from './sync-wave';
export * from './application-set';

export * from './agent-platform';
export type { PlatformNamespaces } from './platform-namespaces';
export type { PlatformTools } from './configured-tools';
export * from './agent-team';
export * from './fleet';

/** The public API: constructs by layer, the synth pipeline, validation, and the pinned versions. */
export * from './agents';
export * from './chat';
export * from './config/platform-config';
export * from './config/versions';
export * from './gitops';
export * from './models';
export * from './namespaces';
export * from './platform';
export * from './synth';
export * from './tools';
export * from './validation';
export type { ContainerResources } from './util/resources';
export type { SecretKeyRef } from './util/secret-ref';

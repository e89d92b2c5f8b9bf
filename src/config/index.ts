/**
 * The platform config, documented field by field, and its validator; the pinned versions; and the value types
 * every layer shares.
 * @module config
 */
export * from './platform-config';
export * from './versions';
export type { ContainerResources } from '../util/resources';
export type { SecretKeyRef } from '../util/secret-ref';

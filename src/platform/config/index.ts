/**
 * The platform config, documented field by field, and its validator.
 * @module config
 */
export { parsePlatformConfig, PlatformConfigSchema, type AgentConfig, type PlatformConfig } from './platform-config';
export type * from './platform-config-input';

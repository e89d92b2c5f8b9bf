/**
 * The public API, by layer (README "API"): constructs and their props, the config types, the synth pipeline and
 * the validator. Everything else is internal and may change in any release.
 */
export * from './core';
export * from './namespaces';
export * from './models';
export * from './tools';
export * from './agents';
export * from './chat';
export * from './gitops';
export * from './reports';
export * from './platform';
export * from './platform/config';
export * from './synth';
export * from './validation';

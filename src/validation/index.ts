export * from './cel-rules';
export * from './chart-values';
export * from './manifest-validator';
export * from './pod-security-standard';
export * from './pod-templates';

export * from './manifest-validator';
export * from './pod-security-standard';
export * from './pod-templates';

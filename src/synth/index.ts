export * from './extra-file';
export * from './platform-chart';
export * from './publish';
export * from './render-tree';
export * from './secrets-inventory';
export * from './synthesize';

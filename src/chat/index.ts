export * from './a2a-bridge';
export * from './bridge-bundle';
export * from './open-webui';
export * from './open-webui-pipe';

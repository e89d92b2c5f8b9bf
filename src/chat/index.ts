export * from './a2a-bridge';
export * from './bridge-bundle';
export * from './open-webui';
export * from './open-webui-pipe';
export * from './kagent-mcp-tool-server';
export * from './open-webui-tool-server-sync';
export * from './chat-model-id';

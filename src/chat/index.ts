export { A2aBridge, type A2aBridgeProps } from './a2a-bridge';
export type { BridgeApiKeys } from './bridge-api-keys';
export type { ChatIdentity } from './chat-identity';
export { OpenWebUi, type OpenWebUiIngress, type OpenWebUiKagentMcp, type OpenWebUiProps } from './open-webui';
export { OpenWebUiPipe, type OpenWebUiPipeProps } from './open-webui-pipe';
export { OpenWebUiToolServerSync, type OpenWebUiToolServerSyncProps } from './open-webui-tool-server-sync';
export type { KagentMcpTool } from './kagent-mcp-tool-server';
export { OpenWebUiAccess, type OpenWebUiAccessProps, type AccessFile } from './open-webui-access';

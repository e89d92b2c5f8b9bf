import { RemoteMcpServer } from '../tools/remote-mcp-server';

/** A selection of tools from an MCP server. */
export interface McpToolSelection {
  /** The server. */
  readonly server: RemoteMcpServer;
  /**
   * Allow-list of tool names (max 50).
   * @default - every tool the server offers
   */
  readonly toolNames?: readonly string[];
  /**
   * Tools that need a human's approval before they run; must be a subset of `toolNames`.
   * @default - none
   */
  readonly requireApproval?: readonly string[];
}

/** A whole MCP server as a selection without an allow-list; a selection as it is. */
export function asSelection(tool: RemoteMcpServer | McpToolSelection): McpToolSelection {
  return RemoteMcpServer.isRemoteMcpServer(tool) ? { server: tool } : tool;
}

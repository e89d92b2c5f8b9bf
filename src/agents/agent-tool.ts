import { RemoteMcpServer } from '../tools/remote-mcp-server';
import { MAX_TOOL_NAMES } from './agent-checks';

/** A selection of tools from an MCP server. */
export interface McpToolSelection {
  /** The server. */
  readonly server: RemoteMcpServer;
  /**
   * Allow-list of tool names (max 50).
   * @default - every tool the server offers (listed explicitly when some of them require approval)
   */
  readonly toolNames?: readonly string[];
  /**
   * Tools that need a human's approval before they run; must be a subset of `toolNames`. `[]` opts out:
   * the agent runs the server's write tools without asking.
   * @default - the server's write tools among the selected ones (`RemoteMcpServer.writeTools`)
   */
  readonly requireApproval?: readonly string[];
}

/** A whole MCP server as a selection without an allow-list; a selection as it is. */
export function asSelection(tool: RemoteMcpServer | McpToolSelection): McpToolSelection {
  return RemoteMcpServer.isRemoteMcpServer(tool) ? { server: tool } : tool;
}

/**
 * The selection as kagent gets it, write tools behind approval unless it opted out: with no `toolNames`, a
 * server with write tools has its known tools listed (kagent can only ask for approval of listed tools).
 * Throws a message (without the agent's path) when that is impossible.
 */
export function withApprovals(selection: McpToolSelection): McpToolSelection {
  const { server } = selection;
  if (selection.requireApproval !== undefined || server.writeTools.length === 0) return selection;
  const toolNames = selection.toolNames ?? server.knownTools;
  if (!toolNames || toolNames.length > MAX_TOOL_NAMES) {
    const writes = server.writeTools
      .slice(0, 3)
      .map((t) => `"${t}"`)
      .join(', ');
    throw new Error(
      `MCP server "${server.name}" has tools that change things (${writes}, …), which need a human's approval, but kagent can only ask for tools it lists ` +
        `and the server offers ${toolNames ? `${toolNames.length} (more than ${MAX_TOOL_NAMES})` : 'an unknown set'}; ` +
        `select toolNames, or opt out with requireApproval: []`,
    );
  }
  const requireApproval = toolNames.filter((tool) => server.writeTools.includes(tool));
  return { server, toolNames, requireApproval };
}

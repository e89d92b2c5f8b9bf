import type { KagentInstall } from '../agents/kagent-install';
import { KAGENT_USER_ID_HEADER, type UserIdSource } from '../core/user-identity';

/** kagent's controller MCP tools (`go/internal/mcp/mcp_handler.go`) Open WebUI may offer. */
export const KAGENT_MCP_TOOLS = ['list_agents', 'invoke_agent'] as const;
export type KagentMcpTool = (typeof KAGENT_MCP_TOOLS)[number];

/** The kagent controller's `/mcp` endpoint as an Open WebUI tool server. */
export interface KagentMcpOptions {
  /** The kagent install whose controller serves `/mcp` (Streamable HTTP). */
  readonly kagent: KagentInstall;
  /**
   * Open WebUI group ids allowed to use the tools (Admin → Users → Groups; the id, not the name).
   * @default - every user
   */
  readonly groupIds?: readonly string[];
  /**
   * The controller tools offered; kagent also serves session tools (`create_agent_session`, …) that are left out.
   * @default ['list_agents', 'invoke_agent']
   */
  readonly tools?: readonly KagentMcpTool[];
  /**
   * Connection id (`info.id`); chats select it as tool `server:mcp:<id>`.
   * @default 'kagent-agents'
   */
  readonly id?: string;
  /**
   * Name users see in the chat's tool menu.
   * @default 'kagent agents'
   */
  readonly name?: string;
  /**
   * Description users see.
   * @default - says that the tools list and call the platform's kagent agents
   */
  readonly description?: string;
  /**
   * Which field of the signed-in user kagent receives as `x-user-id` on this route (the same as the bridge's and
   * the Pipe's `identity.userIdFrom`, so one person is one kagent user on every route).
   * @default 'email'
   */
  readonly userIdFrom?: UserIdSource;
}

/** Open WebUI's template variables for a tool connection's custom headers (utils/headers.py `parse_custom_headers`). */
const USER_TEMPLATE: Readonly<Record<UserIdSource, string>> = { email: '{{USER_EMAIL}}', id: '{{USER_ID}}' };

/** One entry of Open WebUI's `TOOL_SERVER_CONNECTIONS` (routers/configs.py `ToolServerConnection`, extra fields allowed). */
export interface ToolServerConnection {
  readonly type: 'mcp' | 'openapi';
  readonly url: string;
  readonly path: string;
  readonly auth_type: 'none' | 'bearer' | 'session' | 'system_oauth' | 'oauth_2.1';
  readonly key: string;
  readonly config: {
    readonly enable: boolean;
    /** Comma-separated tool names; empty offers every tool (utils/middleware.py splits the string on commas). */
    readonly function_name_filter_list: string;
    /** utils/access_control.py `has_connection_access`: empty means admins only. */
    readonly access_grants: readonly AccessGrant[];
  };
  readonly info: { readonly id: string; readonly name: string; readonly description: string };
  /** Custom headers, with Open WebUI's `{{USER_EMAIL}}`-style variables filled in per call. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A read grant to a user (`*` = everyone) or a group. */
export interface AccessGrant {
  readonly principal_type: 'user' | 'group';
  readonly principal_id: string;
  readonly permission: 'read';
}

/**
 * The connection for kagent's controller `/mcp`: no key (in-cluster, like the bridge's route to kagent), enabled,
 * limited to the chosen tools and groups, and sending the signed-in user as kagent's `x-user-id` (Open WebUI fills
 * the header per call), so sessions started here are the user's own. `scopePath` names the construct in errors.
 */
export function kagentMcpToolServer(scopePath: string, options: KagentMcpOptions): ToolServerConnection {
  const tools = options.tools ?? KAGENT_MCP_TOOLS;
  if (tools.length === 0) throw new Error(`${scopePath}: kagentMcp.tools is empty; list at least one of ${KAGENT_MCP_TOOLS.join(', ')} or leave it unset`);
  for (const tool of tools) {
    if (!KAGENT_MCP_TOOLS.includes(tool))
      throw new Error(`${scopePath}: kagentMcp.tools has unknown tool "${tool}"; kagent's controller offers ${KAGENT_MCP_TOOLS.join(', ')}`);
  }
  const id = options.id ?? 'kagent-agents';
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(id))
    throw new Error(`${scopePath}: kagentMcp.id "${id}" must be lowercase letters, digits, "-" or "_", e.g. "kagent-agents"`);
  const groupIds = options.groupIds;
  if (groupIds && groupIds.length === 0)
    throw new Error(`${scopePath}: kagentMcp.groupIds is empty, which would hide the tools from everyone but admins; leave it unset to allow every user`);
  for (const group of groupIds ?? []) {
    if (!group.trim()) throw new Error(`${scopePath}: kagentMcp.groupIds has an empty id; use the id of an Open WebUI group`);
  }
  const grants: AccessGrant[] = groupIds
    ? [...new Set(groupIds)].map((principal_id) => ({ principal_type: 'group', principal_id, permission: 'read' }))
    : [{ principal_type: 'user', principal_id: '*', permission: 'read' }];
  return {
    type: 'mcp',
    url: options.kagent.mcpUrl,
    path: '',
    auth_type: 'none',
    key: '',
    config: { enable: true, function_name_filter_list: KAGENT_MCP_TOOLS.filter((t) => tools.includes(t)).join(','), access_grants: grants },
    info: {
      id,
      name: options.name ?? 'kagent agents',
      description: options.description ?? "List the platform's kagent agents and hand one a task (kagent controller MCP)",
    },
    headers: { [KAGENT_USER_ID_HEADER]: USER_TEMPLATE[options.userIdFrom ?? 'email'] },
  };
}

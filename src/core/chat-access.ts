/** The Open WebUI roles an allow-list may name. */
export const OPEN_WEBUI_ROLES = ['admin', 'user'] as const;
/** An Open WebUI role. */
export type OpenWebUiRole = (typeof OPEN_WEBUI_ROLES)[number];

/**
 * Who may use an agent in the chat. `groups` are Open WebUI groups: the access Job gives them the agent's model
 * (Open WebUI then lists it only for their members). `users` and `roles` are an allow-list the bridge and the
 * Pipe check on the identity Open WebUI forwards, for fences beyond Open WebUI's own check (e.g. admin only).
 */
export interface ChatAccess {
  /**
   * Open WebUI groups whose members see the agent's model.
   * @default - a team's agents: the team's group; other agents: every user
   */
  readonly groups?: readonly string[];
  /**
   * Open WebUI users (ids or e-mails) allowed to call the agent.
   * @default - no user allow-list
   */
  readonly users?: readonly string[];
  /**
   * Open WebUI roles allowed to call the agent.
   * @default - no role allow-list
   */
  readonly roles?: readonly OpenWebUiRole[];
}

/** The allow-list part of an access (users and roles), or undefined if it sets none. */
export function allowListOf(access: ChatAccess | undefined): { users?: readonly string[]; roles?: readonly OpenWebUiRole[] } | undefined {
  if (!access?.users?.length && !access?.roles?.length) return undefined;
  return { ...(access.users?.length ? { users: access.users } : {}), ...(access.roles?.length ? { roles: access.roles } : {}) };
}

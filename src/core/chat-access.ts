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

/**
 * Why Open WebUI would not match this group name, or undefined. Open WebUI stores any text, but its SSO and
 * trusted-header group sync split a list of names on commas and trim each name (`routers/auths.py`), and
 * `{{USER_GROUPS}}` joins them with commas: a name with a comma, surrounding spaces or control characters would
 * never be the group its members are synced into.
 */
export function chatGroupProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.trim() === '') return 'is empty; name an Open WebUI group such as "research"';
  if (name !== name.trim()) return `"${name}" has spaces around it; Open WebUI trims group names, write "${name.trim()}"`;
  if (name.includes(',')) return `"${name}" has a comma; Open WebUI splits group lists on commas, so no synced group can match it`;
  if (/\p{Cc}/u.test(name)) return `"${name}" has a control character; use printable text`;
  return undefined;
}

/** The problems of an access (one line each, without the construct path), e.g. an empty user or an unknown role. */
export function chatAccessProblems(access: ChatAccess): string[] {
  const problems: string[] = [];
  const list = (field: 'groups' | 'users' | 'roles') => {
    const value = access[field];
    if (value !== undefined && !Array.isArray(value)) problems.push(`${field} must be a list`);
    return (Array.isArray(value) ? value : []) as readonly string[];
  };
  const groups = list('groups');
  groups.forEach((g, i) => {
    const problem = chatGroupProblem(g);
    if (problem) problems.push(`groups[${i}] ${problem}`);
  });
  const twice = (values: readonly string[], fold: (v: string) => string) => values.find((v, i) => values.findIndex((w) => fold(w) === fold(v)) !== i);
  const sameGroup = twice(groups, (g) => g);
  if (sameGroup !== undefined) problems.push(`groups names "${sameGroup}" twice`);
  const users = list('users');
  users.forEach((u, i) => {
    if (typeof u !== 'string' || u.trim() === '') problems.push(`users[${i}] is empty; name an Open WebUI user id or e-mail`);
    else if (u !== u.trim()) problems.push(`users[${i}] "${u}" has spaces around it; write "${u.trim()}"`);
  });
  const sameUser = twice(
    users.filter((u) => typeof u === 'string'),
    (u) => u.toLowerCase(),
  );
  if (sameUser !== undefined) problems.push(`users names "${sameUser}" twice (user names match in any case)`);
  list('roles').forEach((r, i) => {
    if (!(OPEN_WEBUI_ROLES as readonly string[]).includes(r)) problems.push(`roles[${i}] is "${r}"; Open WebUI roles are ${OPEN_WEBUI_ROLES.join(', ')}`);
  });
  return problems;
}

/** Throws the first problem of an access, naming the construct path and the prop. */
export function assertChatAccess(scope: { readonly node: { readonly path: string } }, prop: string, access: ChatAccess | undefined): void {
  if (!access) return;
  const problems = chatAccessProblems(access);
  if (problems.length > 0) throw new Error(`${scope.node.path}: ${prop}.${problems[0]}`);
}

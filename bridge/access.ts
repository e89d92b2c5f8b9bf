import type { IncomingHttpHeaders } from 'node:http';
import { FORWARDED_USER_HEADERS } from './user-identity';

import { OPEN_WEBUI_ROLES, type OpenWebUiRole } from '../src/core/chat-access';

export { OPEN_WEBUI_ROLES, type OpenWebUiRole } from '../src/core/chat-access';

/** Who may use an agent: Open WebUI users (ids or e-mails) and/or roles. No allow-list: everyone. */
export interface AgentAllow {
  readonly users?: readonly string[];
  readonly roles?: readonly OpenWebUiRole[];
}

/** The header Open WebUI sends the signed-in user's role in (with `ENABLE_FORWARD_USER_INFO_HEADERS=true`). */
export const ROLE_HEADER = 'x-openwebui-user-role';

/** The signed-in user Open WebUI forwarded: only believed from a caller that holds a bridge key. */
export interface ForwardedUser {
  readonly id?: string;
  readonly email?: string;
  readonly role?: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() || undefined;
}

export function forwardedUser(headers: IncomingHttpHeaders): ForwardedUser {
  return { id: header(headers, FORWARDED_USER_HEADERS.id), email: header(headers, FORWARDED_USER_HEADERS.email), role: header(headers, ROLE_HEADER) };
}

/** True when the agent has no allow-list, or the user's id, e-mail (any case) or role is on it. */
export function isAllowed(allow: AgentAllow | undefined, user: ForwardedUser): boolean {
  if (!allow) return true;
  const names = new Set((allow.users ?? []).map((u) => u.toLowerCase()));
  return (
    [user.id, user.email].some((v) => v !== undefined && names.has(v.toLowerCase())) ||
    (user.role !== undefined && (allow.roles ?? []).some((r) => r === user.role!.toLowerCase()))
  );
}

const ALLOW_EXAMPLE = `e.g. '{"jairix":{"users":["alice@lab.example"],"roles":["admin"]}}'`;

function strings(value: unknown, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !v.trim()))
    throw new Error(`AGENT_ALLOW: ${what} must be a list of non-empty strings, ${ALLOW_EXAMPLE}`);
  return value.map((v: string) => v.trim());
}

/**
 * Parses `AGENT_ALLOW`: a JSON object from model id to `{users?, roles?}`. Every key must be an exposed model id,
 * every role one of {@link OPEN_WEBUI_ROLES}, and each entry must name someone (an empty entry would lock everyone out).
 */
export function parseAgentAllow(value: string | undefined, modelIds: readonly string[]): Map<string, AgentAllow> {
  const allow = new Map<string, AgentAllow>();
  if (value === undefined || value.trim() === '') return allow;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`AGENT_ALLOW is not JSON (${(error as Error).message}), ${ALLOW_EXAMPLE}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`AGENT_ALLOW must be a JSON object keyed by model id, ${ALLOW_EXAMPLE}`);
  for (const [id, entry] of Object.entries(parsed)) {
    if (modelIds.length > 0 && !modelIds.includes(id))
      throw new Error(`AGENT_ALLOW names the model "${id}", which AGENTS does not expose (${modelIds.join(', ')})`);
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      throw new Error(`AGENT_ALLOW: "${id}" must be an object with "users" and/or "roles", ${ALLOW_EXAMPLE}`);
    const { users: rawUsers, roles: rawRoles, ...rest } = entry as Record<string, unknown>;
    if (Object.keys(rest).length > 0)
      throw new Error(`AGENT_ALLOW: "${id}" has unknown keys ${Object.keys(rest).join(', ')}; only "users" and "roles" are read`);
    const users = strings(rawUsers, `"${id}".users`);
    const roles = strings(rawRoles, `"${id}".roles`);
    const badRole = roles?.find((r) => !(OPEN_WEBUI_ROLES as readonly string[]).includes(r));
    if (badRole !== undefined) throw new Error(`AGENT_ALLOW: "${id}".roles has "${badRole}"; Open WebUI roles are ${OPEN_WEBUI_ROLES.join(', ')}`);
    if (!users?.length && !roles?.length)
      throw new Error(`AGENT_ALLOW: "${id}" names no users and no roles, which would lock everyone out; remove it to allow everyone`);
    allow.set(id, { ...(users?.length && { users }), ...(roles?.length && { roles: roles as OpenWebUiRole[] }) });
  }
  return allow;
}

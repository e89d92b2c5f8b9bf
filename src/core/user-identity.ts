/**
 * Who a chat request is for: the identity settings the bridge, the Pipe, the constructs and the config share,
 * so each checks a service user id with the same rule.
 */
/** The fields of the signed-in Open WebUI user that can become kagent's user id. */
export const USER_ID_SOURCES = ['email', 'id'] as const;
/** Which field of the signed-in Open WebUI user becomes kagent's user id. */
export type UserIdSource = (typeof USER_ID_SOURCES)[number];

/** The headers Open WebUI sends with `ENABLE_FORWARD_USER_INFO_HEADERS=true`, by the field each carries. */
export const FORWARDED_USER_HEADERS: Readonly<Record<UserIdSource, string>> = { email: 'x-openwebui-user-email', id: 'x-openwebui-user-id' };

/** kagent's user header (its unsecure authenticator reads it); kagent keys sessions and memory by it. */
export const KAGENT_USER_ID_HEADER = 'x-user-id';

/** The user id of requests that forward no user (Open WebUI's own calls, a script with a key). */
export const DEFAULT_SERVICE_USER_ID = 'open-webui-service';

/** No "@" (so it is never a user's e-mail), nothing a header or a log line could trip over. */
const SERVICE_USER_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** What is wrong with a service user id, or nothing. The construct, the config and the bridge all check with this. */
export function serviceUserIdProblem(value: string): string | undefined {
  if (SERVICE_USER_ID.test(value)) return undefined;
  return `must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit (no "@": it must never be a user's e-mail), e.g. "${DEFAULT_SERVICE_USER_ID}"`;
}

import type { IncomingHttpHeaders } from 'node:http';
import { FORWARDED_USER_HEADERS, type UserIdSource } from '../src/core/user-identity';

export {
  DEFAULT_SERVICE_USER_ID,
  FORWARDED_USER_HEADERS,
  KAGENT_USER_ID_HEADER,
  USER_ID_SOURCES,
  serviceUserIdProblem,
  type UserIdSource,
} from '../src/core/user-identity';

/** Who a request is for: a signed-in user forwarded by Open WebUI, or the service identity. */
export interface CallerIdentity {
  /** Sent to kagent as `x-user-id`, and logged. */
  readonly userId: string;
  /** For metrics: a bounded label, never the user id. */
  readonly kind: 'user' | 'service';
}

/**
 * The caller of an authenticated request: the forwarded user's e-mail or id (as configured), else the service
 * identity — never another user's, and never the other field as a fallback (kagent would see one person as two).
 */
export function callerIdentity(headers: IncomingHttpHeaders, from: UserIdSource, serviceUserId: string): CallerIdentity {
  const value = headers[FORWARDED_USER_HEADERS[from]];
  const userId = (Array.isArray(value) ? value[0] : value)?.trim();
  return userId ? { userId, kind: 'user' } : { userId: serviceUserId, kind: 'service' };
}

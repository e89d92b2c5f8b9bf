import type { IConstruct } from 'constructs';
import { DEFAULT_SERVICE_USER_ID, serviceUserIdProblem, USER_ID_SOURCES, type UserIdSource } from '../core/user-identity';

export { DEFAULT_SERVICE_USER_ID, USER_ID_SOURCES, type UserIdSource };

/** Whom kagent sees as the user of an Open WebUI chat (its sessions and memory are keyed by that user). */
export interface ChatIdentity {
  /**
   * Which field of the signed-in Open WebUI user is kagent's `x-user-id`.
   * @default 'email'
   */
  readonly userIdFrom?: UserIdSource;
  /**
   * kagent's `x-user-id` for requests that carry no signed-in user (Open WebUI's own calls, a script with a key).
   * No "@", so it is never a user's e-mail.
   * @default 'open-webui-service'
   */
  readonly serviceUserId?: string;
}

/** {@link ChatIdentity} with its defaults applied. */
export type ResolvedChatIdentity = Required<ChatIdentity>;

/** The identity settings with their defaults. */
export function withIdentityDefaults(identity: ChatIdentity = {}): ResolvedChatIdentity {
  return { userIdFrom: identity.userIdFrom ?? 'email', serviceUserId: identity.serviceUserId ?? DEFAULT_SERVICE_USER_ID };
}

/** The identity settings with defaults, or an error naming the construct, the field and the fix. */
export function resolveChatIdentity(scope: IConstruct, identity: ChatIdentity = {}): ResolvedChatIdentity {
  const { userIdFrom, serviceUserId } = withIdentityDefaults(identity);
  if (!USER_ID_SOURCES.includes(userIdFrom))
    throw new Error(`${scope.node.path}: identity.userIdFrom must be one of ${USER_ID_SOURCES.join(', ')}, got "${userIdFrom}"`);
  const problem = serviceUserIdProblem(serviceUserId);
  if (problem) throw new Error(`${scope.node.path}: identity.serviceUserId ${problem}, got "${serviceUserId}"`);
  return { userIdFrom, serviceUserId };
}

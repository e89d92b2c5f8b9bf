import { createHash } from 'node:crypto';

/** The header Open WebUI sends with `ENABLE_FORWARD_USER_INFO_HEADERS=true`. */
export const CHAT_ID_HEADER = 'x-openwebui-chat-id';

/**
 * The A2A `contextId` (kagent's session id) for a conversation: from Open WebUI's chat id when present, else
 * a stable hash of the first user message (the seed's fallback; two chats that open with the same words share
 * a session, which is why the header is preferred).
 */
export function contextIdFor(chatId: string | undefined, firstUserMessage: string): string {
  if (chatId && chatId.trim()) return `openwebui-${chatId.trim()}`;
  return `ctx-${createHash('sha256').update(firstUserMessage).digest('hex').slice(0, 32)}`;
}

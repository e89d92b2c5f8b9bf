/** The parts of an OpenAI chat request the bridge reads. */
export interface ChatRequest {
  readonly model: string;
  readonly messages: ReadonlyArray<{ readonly role: string; readonly content: unknown }>;
  readonly stream: boolean;
}

/** Thrown for a request the client must fix (HTTP 400). */
export class BadRequestError extends Error {}

/** Text of a message content: a string, or the text parts of an array. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .filter((part): part is { type: string; text: string } => part?.type === 'text' && typeof part.text === 'string')
      .map((part) => part.text)
      .join('\n');
  }
  return '';
}

/** Validates the body of `POST /v1/chat/completions`. */
export function parseChatRequest(body: unknown): ChatRequest {
  if (!body || typeof body !== 'object') throw new BadRequestError('request body must be a JSON object');
  const { model, messages, stream } = body as Record<string, unknown>;
  if (typeof model !== 'string' || !model) throw new BadRequestError('"model" is required');
  if (!Array.isArray(messages) || messages.length === 0) throw new BadRequestError('"messages" must be a non-empty array');
  for (const m of messages) {
    if (!m || typeof m !== 'object' || typeof (m as { role?: unknown }).role !== 'string') {
      throw new BadRequestError('every message needs a "role"');
    }
  }
  return { model, messages: messages as ChatRequest['messages'], stream: stream === true };
}

/**
 * The newest user message (the agent keeps the history server-side), the first one (context fallback), and the
 * assistant message right before the newest one, if there is one (what the user answers).
 */
export function userMessages(request: ChatRequest): { first: string; latest: string; previous?: string } {
  const texts = request.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content));
  if (texts.length === 0 || !texts[texts.length - 1].trim()) throw new BadRequestError('the conversation has no user message to send');
  const before = request.messages[request.messages.map((m) => m.role).lastIndexOf('user') - 1];
  return { first: texts[0], latest: texts[texts.length - 1], ...(before?.role === 'assistant' && { previous: contentText(before.content) }) };
}

/**
 * Stand-in for the LLM: a small OpenAI-compatible `POST /v1/chat/completions` server on 127.0.0.1 with a fixed
 * script, so the real agent runtime's decisions (pause, resume, reject) are the only thing under test:
 *
 * - while the conversation has no tool result, it answers with one call to `wit_work_item_write` with
 *   {@link WORK_ITEM_ARGS};
 * - once the last message is a tool result (the tool's output, or kagent-adk's "Tool call was rejected by user."),
 *   it answers with a final text that quotes it: `Azure DevOps answered: <result>`;
 * - when the last message is the user's and mentions {@link CHAT_TOPIC}, it answers in text, without a tool:
 *   `Noted. The user messages I was given: <every user message of the request, as JSON>`, so an answer shows
 *   what history the runtime replayed to the model.
 *
 * It answers streamed (`stream: true`, SSE chunks with tool-call deltas, as kagent-adk asks when the agent's
 * `stream` is on) and unstreamed requests, and records every request it got.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WORK_ITEM_TOOL = 'wit_work_item_write';
export const WORK_ITEM_ARGS = { project: 'Lab', workItemType: 'User Story', title: 'Login met SSO' } as const;
export const FINAL_PREFIX = 'Azure DevOps answered: ';
/** A user message that mentions this is chatted with, not turned into a tool call. */
export const CHAT_TOPIC = 'secret word';
export const CHAT_PREFIX = 'Noted. The user messages I was given: ';

interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_calls?: unknown[];
  readonly tool_call_id?: string;
}

export interface LlmRequest {
  readonly model: string;
  readonly stream: boolean;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly { type: string; function: { name: string } }[];
}

export interface LlmStandIn {
  /** The OpenAI base URL (with `/v1`). */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: LlmRequest[];
  close(): Promise<void>;
}

const text = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p: { text?: string }) => p?.text ?? '').join('')
      : JSON.stringify(content ?? '');

export async function startLlmStandIn(): Promise<LlmStandIn> {
  const requests: LlmRequest[] = [];
  let calls = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `the LLM stand-in has no ${req.method} ${req.url}` } }));
        return;
      }
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as LlmRequest;
      requests.push(request);
      const last = request.messages[request.messages.length - 1];
      const id = `chatcmpl-stand-in-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      const answer: { content?: string; toolCall?: { id: string; name: string; arguments: string } } =
        last?.role === 'tool'
          ? { content: `${FINAL_PREFIX}${text(last.content)}` }
          : last?.role === 'user' && text(last.content).includes(CHAT_TOPIC)
            ? { content: `${CHAT_PREFIX}${JSON.stringify(request.messages.filter((m) => m.role === 'user').map((m) => text(m.content)))}` }
            : { toolCall: { id: `call_stand_in_${++calls}`, name: WORK_ITEM_TOOL, arguments: JSON.stringify(WORK_ITEM_ARGS) } };
      if (!request.stream) {
        const message = answer.toolCall
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: answer.toolCall.id, type: 'function', function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments } }],
            }
          : { role: 'assistant', content: answer.content };
        const body = JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: request.model,
          choices: [{ index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }],
          usage,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: object, finish: string | null, extra: object = {}) =>
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`,
        );
      if (answer.toolCall) {
        const { id: callId, name, arguments: args } = answer.toolCall;
        chunk({ role: 'assistant', tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }] }, null);
        // The arguments in two pieces, as real servers split them.
        const half = Math.floor(args.length / 2);
        chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(0, half) } }] }, null);
        chunk({ tool_calls: [{ index: 0, function: { arguments: args.slice(half) } }] }, null);
        chunk({}, 'tool_calls');
      } else {
        const content = answer.content!;
        const cut = Math.floor(content.length / 2);
        chunk({ role: 'assistant', content: content.slice(0, cut) }, null);
        chunk({ content: content.slice(cut) }, null);
        chunk({}, 'stop');
      }
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [], usage })}\n\n`);
      res.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

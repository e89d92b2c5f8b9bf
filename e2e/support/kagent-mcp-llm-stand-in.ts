/**
 * Stand-in for the LLM behind Open WebUI, for the kagent MCP test: an OpenAI-compatible server on 127.0.0.1 that
 * lists one model at `GET /v1/models` and answers `POST /v1/chat/completions` with a fixed script:
 *
 * - offered a tool whose name ends in `_invoke_agent` and with no tool result yet: one call of it with
 *   {@link INVOKE_ARGS};
 * - when the last message is a tool result: a final text that quotes it, `kagent answered: <result>`;
 * - anything else (Open WebUI's own title or follow-up tasks): a short text.
 *
 * Streamed (SSE, tool-call deltas) and unstreamed; every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const STAND_IN_MODEL = 'stand-in-model';
export const INVOKE_ARGS = { agent: 'kagent/helpdesk', task: 'Say hello' } as const;
export const ANSWER_PREFIX = 'kagent answered: ';

interface ChatMessage {
  readonly role: string;
  readonly content?: unknown;
  readonly tool_call_id?: string;
}

export interface McpLlmRequest {
  readonly model: string;
  readonly stream?: boolean;
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly { type: string; function: { name: string } }[];
}

export interface McpLlmStandIn {
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: McpLlmRequest[];
  close(): Promise<void>;
}

const text = (content: unknown): string =>
  typeof content === 'string'
    ? content
    : Array.isArray(content)
      ? content.map((p: { text?: string }) => p?.text ?? '').join('')
      : JSON.stringify(content ?? '');

export async function startMcpLlmStandIn(key: string): Promise<McpLlmStandIn> {
  const requests: McpLlmRequest[] = [];
  let calls = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${key}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid_api_key"}}');
        return;
      }
      if (req.method === 'GET' && req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [{ id: STAND_IN_MODEL, object: 'model', created: 0, owned_by: 'llm-stand-in' }] }));
        return;
      }
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no ${req.method} ${req.url}` } }));
        return;
      }
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as McpLlmRequest;
      requests.push(request);
      const last = request.messages[request.messages.length - 1];
      const invoke = request.tools?.find((t) => t.function?.name?.endsWith('_invoke_agent'))?.function.name;
      const hasToolResult = request.messages.some((m) => m.role === 'tool');
      const answer: { content?: string; toolCall?: { id: string; name: string; arguments: string } } =
        last?.role === 'tool'
          ? { content: `${ANSWER_PREFIX}${text(last.content)}` }
          : invoke && !hasToolResult
            ? { toolCall: { id: `call_stand_in_${++calls}`, name: invoke, arguments: JSON.stringify(INVOKE_ARGS) } }
            : { content: 'Stand-in answer.' };
      const id = `chatcmpl-stand-in-${requests.length}`;
      const created = Math.floor(Date.now() / 1000);
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      if (!request.stream) {
        const message = answer.toolCall
          ? {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: answer.toolCall.id, type: 'function', function: { name: answer.toolCall.name, arguments: answer.toolCall.arguments } }],
            }
          : { role: 'assistant', content: answer.content };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id,
            object: 'chat.completion',
            created,
            model: request.model,
            choices: [{ index: 0, message, finish_reason: answer.toolCall ? 'tool_calls' : 'stop' }],
            usage,
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: object, finish: string | null) =>
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
        );
      if (answer.toolCall) {
        const { id: callId, name, arguments: args } = answer.toolCall;
        chunk({ role: 'assistant', tool_calls: [{ index: 0, id: callId, type: 'function', function: { name, arguments: '' } }] }, null);
        chunk({ tool_calls: [{ index: 0, function: { arguments: args } }] }, null);
        chunk({}, 'tool_calls');
      } else {
        chunk({ role: 'assistant', content: answer.content }, null);
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

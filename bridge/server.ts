import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { streamMessage, userMessage, type StreamEvent } from './a2a-stream';
import { AnswerExtractor } from './answer-extractor';
import { type AgentTarget, type BridgeConfig } from './config';
import { CHAT_ID_HEADER, contextIdFor } from './context-id';
import { UpstreamError } from './errors';
import { BadRequestError, parseChatRequest, userMessages, type ChatRequest } from './openai-messages';
import { CompletionFormatter, errorBody, toolBlock } from './openai-format';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * An OpenAI-compatible HTTP server in front of kagent's A2A endpoints: `GET /v1/models`,
 * `POST /v1/chat/completions` (streaming and not) and `GET /healthz`.
 */
export function createBridgeServer(config: BridgeConfig): Server {
  const agents = new Map(config.agents.map((a) => [a.name, a]));
  return createServer((req, res) => {
    handle(req, res, config, agents).catch((error: unknown) => {
      // Last resort: an unexpected error still answers, and the server stays up.
      if (!res.headersSent) sendJson(res, 500, errorBody(error instanceof Error ? error.message : String(error), 'internal_error'));
      else res.end();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, config: BridgeConfig, agents: Map<string, AgentTarget>): Promise<void> {
  const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
  if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
  if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(config.agents));
  if (req.method === 'POST' && path === '/v1/chat/completions') return chat(req, res, config, agents);
  sendJson(res, 404, errorBody(`no route for ${req.method} ${path}`, 'invalid_request_error', 'not_found'));
}

function modelList(agents: readonly AgentTarget[]): object {
  return { object: 'list', data: agents.map((a) => ({ id: a.name, object: 'model', created: 0, owned_by: `kagent/${a.namespace}` })) };
}

async function chat(req: IncomingMessage, res: ServerResponse, config: BridgeConfig, agents: Map<string, AgentTarget>): Promise<void> {
  let request: ChatRequest;
  let messages: { first: string; latest: string };
  try {
    request = parseChatRequest(JSON.parse(await readBody(req)));
    messages = userMessages(request);
  } catch (error) {
    const message = error instanceof SyntaxError ? `malformed JSON: ${error.message}` : (error as Error).message;
    return sendJson(res, error instanceof BadRequestError || error instanceof SyntaxError ? 400 : 413, errorBody(message, 'invalid_request_error'));
  }
  const agent = agents.get(request.model);
  if (!agent) {
    return sendJson(res, 404, errorBody(`The model '${request.model}' does not exist; available: ${[...agents.keys()].join(', ')}`, 'invalid_request_error', 'model_not_found'));
  }
  const chatId = req.headers[CHAT_ID_HEADER];
  const contextId = contextIdFor(Array.isArray(chatId) ? chatId[0] : chatId, messages.first);
  const clientGone = new AbortController();
  res.on('close', () => clientGone.abort());
  const events = streamMessage(`${config.a2aBaseUrl}/${agent.namespace}/${agent.name}/`, userMessage(messages.latest, contextId), {
    idleTimeoutMs: config.idleTimeoutMs,
    signal: clientGone.signal,
  });
  const formatter = new CompletionFormatter(request.model);
  const deltas = answerText(events, config.showToolCalls);
  await (request.stream ? streamAnswer(res, formatter, deltas) : completeAnswer(res, formatter, deltas));
}

/** The answer as text pieces, in order. */
async function* answerText(events: AsyncGenerator<StreamEvent>, showToolCalls: boolean): AsyncGenerator<string> {
  const extractor = new AnswerExtractor();
  for await (const event of events) {
    for (const delta of extractor.accept(event)) {
      if (delta.text) yield delta.text;
      else if (delta.tool && showToolCalls) yield toolBlock(delta.tool);
    }
    if (extractor.done) return;
  }
  if (!extractor.done) throw new UpstreamError('the agent stream ended before the run completed');
}

async function completeAnswer(res: ServerResponse, formatter: CompletionFormatter, pieces: AsyncGenerator<string>): Promise<void> {
  let answer = '';
  try {
    for await (const piece of pieces) answer += piece;
  } catch (error) {
    return sendUpstreamError(res, error);
  }
  sendJson(res, 200, formatter.completion(answer));
}

/**
 * Streams SSE chunks. Headers wait for the first piece, so an upstream that cannot be reached (or fails at
 * once) is a plain HTTP error; a failure mid-stream becomes an `error` event the OpenAI clients raise.
 */
async function streamAnswer(res: ServerResponse, formatter: CompletionFormatter, pieces: AsyncGenerator<string>): Promise<void> {
  const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  const start = () => {
    if (res.headersSent) return;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    send(formatter.chunk({ role: 'assistant', content: '' }));
  };
  try {
    for await (const piece of pieces) {
      start();
      send(formatter.chunk({ content: piece }));
    }
  } catch (error) {
    if (!res.headersSent) return sendUpstreamError(res, error);
    const upstream = error instanceof UpstreamError ? error : new UpstreamError(String(error));
    send(errorBody(upstream.message, upstream.type));
    send('[DONE]');
    return void res.end();
  }
  start();
  send(formatter.chunk({}, 'stop'));
  send('[DONE]');
  res.end();
}

function sendUpstreamError(res: ServerResponse, error: unknown): void {
  const upstream = error instanceof UpstreamError ? error : new UpstreamError(error instanceof Error ? error.message : String(error));
  sendJson(res, upstream.status, errorBody(upstream.message, upstream.type));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body exceeds ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

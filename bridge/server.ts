import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { openStream, UpstreamCall, type A2aStream } from './a2a-stream';
import { forwardedUser, isAllowed, type ForwardedUser } from './access';
import { AgentVersionResolver, CARD_PATHS, lookUpCard } from './agent-card';
import { AnswerExtractor } from './answer-extractor';
import { ApiKeys, REJECTION_MESSAGES, type KeyRejection } from './api-keys';
import { approvalKey, approvalQuestion, decide, notRunNotice, PendingApprovals, repliesTo, type ApprovalRequest } from './approval';
import { type AgentTarget, type BridgeConfig } from './config';
import { CHAT_ID_HEADER, contextIdFor } from './context-id';
import { AgentRunCutOffError, AgentRunError, CUT_OFF_MESSAGE, UpstreamError } from './errors';
import { BridgeMetrics, stdoutLog, type LogSink } from './observability';
import { BadRequestError, parseChatRequest, userMessages, type ChatRequest } from './openai-messages';
import { CompletionFormatter, errorBody, toolBlock } from './openai-format';
import { UpstreamPool } from './upstream-http';
import { callerIdentity, type CallerIdentity } from './user-identity';

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const READY_TIMEOUT_MS = 2_000;
/** An SSE response, never buffered by a proxy in between. */
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' };
/** Chat requests log their own, richer record. */
const CHAT_PATH = '/v1/chat/completions';

export interface BridgeOptions {
  /** Where the per-request and upstream-error log records go. @default one JSON line each on stdout */
  readonly log?: LogSink;
}

/** What one chat request did, for the log line and the metrics. */
interface Outcome {
  status: number;
  ttftMs?: number;
  error?: string;
  /** What happened to a tool approval: the run asked for one, or the user's reply approved or rejected one. */
  approval?: 'requested' | 'approved' | 'rejected';
}

/**
 * An OpenAI-compatible HTTP server in front of kagent's A2A endpoints: `GET /v1/models`,
 * `POST /v1/chat/completions` (streaming and not), `GET /healthz` (liveness), `GET /readyz` (every agent's card found),
 * `GET /metrics` (Prometheus), and a graceful {@link Bridge.shutdown}. Everything but the three probes needs one of
 * the configured bearer keys; the signed-in user Open WebUI forwards goes on to kagent as `x-user-id`, and is checked
 * against an agent's allow-list. A tool approval kagent asks for ends the answer with a question, and the next message
 * of that conversation is the user's decision (README-approval.md).
 */
export class Bridge {
  public readonly server: Server;
  public readonly metrics = new BridgeMetrics();
  private readonly agents: Map<string, AgentTarget>;
  private readonly pool: UpstreamPool;
  private readonly versions: AgentVersionResolver;
  private readonly log: LogSink;
  private readonly readiness: Readiness;
  private readonly keys: ApiKeys;
  /** Tool approvals waiting for the user's reply, by conversation. */
  private readonly approvals = new PendingApprovals();
  private stopping = false;

  constructor(
    private readonly config: BridgeConfig,
    options: BridgeOptions = {},
  ) {
    this.agents = new Map(config.agents.map((a) => [a.id, a]));
    this.pool = new UpstreamPool(config.upstreamMaxSockets);
    this.versions = new AgentVersionResolver(config.a2aVersion, this.pool);
    this.log = options.log ?? stdoutLog;
    this.keys = new ApiKeys(config.apiKeys);
    this.readiness = new Readiness(
      config.agents.map((a) => ({ name: `${a.namespace}/${a.name}`, url: this.agentUrl(a) })),
      config.readyCacheMs,
      this.pool,
    );
    this.server = createServer((req, res) => {
      if (this.stopping) res.setHeader('connection', 'close');
      this.handle(req, res).catch((error: unknown) => {
        // Last resort: an unexpected error still answers, and the server stays up.
        if (!res.headersSent) sendJson(res, 500, errorBody(error instanceof Error ? error.message : String(error), 'internal_error'));
        else res.end();
      });
    });
  }

  /**
   * Stops accepting connections, lets open requests finish for up to `graceMs`, then closes what is left.
   * Resolves when every connection is closed.
   */
  public async shutdown(graceMs: number = this.config.shutdownGraceMs): Promise<void> {
    this.stopping = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => this.server.closeAllConnections(), graceMs);
    await closed;
    clearTimeout(force);
    this.pool.destroy();
  }

  private agentUrl(agent: AgentTarget): string {
    return `${this.config.a2aBaseUrl}/${agent.namespace}/${agent.name}/`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';
    const started = performance.now();
    if (this.stopping) res.once('finish', () => this.server.closeIdleConnections());
    // Open to the kubelet and Prometheus (the network policy says who reaches the port), and not logged: they
    // would drown the requests. Nothing they answer names a user or holds a key.
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && path === '/readyz') return this.ready(res);
    if (req.method === 'GET' && path === '/metrics') return this.scrape(res);
    const rejection = this.keys.check(req.headers.authorization);
    if (rejection) return this.unauthorized(req, res, path, rejection);
    // Only now: a forwarded user is believed only from a caller holding a key.
    const caller = callerIdentity(req.headers, this.config.userIdFrom, this.config.serviceUserId);
    if (path !== CHAT_PATH) {
      res.once('close', () => {
        this.log({
          level: 'info',
          msg: 'request',
          method: req.method,
          path,
          status: res.statusCode,
          duration_ms: round(performance.now() - started),
          user: caller.userId,
        });
      });
    }
    const user = forwardedUser(req.headers);
    if (req.method === 'GET' && path === '/v1/models') return sendJson(res, 200, modelList(this.config.agents.filter((a) => isAllowed(a.allow, user))));
    if (req.method === 'POST' && path === CHAT_PATH) return this.chat(req, res, started, caller, user);
    sendJson(res, 404, errorBody(`no route for ${req.method} ${path}`, 'invalid_request_error', 'not_found'));
  }

  /** HTTP 401 in OpenAI's shape; the log and the body say why, never with the key that was sent. */
  private unauthorized(req: IncomingMessage, res: ServerResponse, path: string, reason: KeyRejection): void {
    this.metrics.unauthorized.inc({ reason });
    this.log({ level: 'warn', msg: 'unauthorized', method: req.method, path, status: 401, reason });
    sendJson(res, 401, errorBody(REJECTION_MESSAGES[reason], 'invalid_request_error', 'invalid_api_key'), { 'www-authenticate': 'Bearer realm="a2a-bridge"' });
  }

  private async ready(res: ServerResponse): Promise<void> {
    if (this.stopping) return sendJson(res, 503, { status: 'shutting down' });
    const check = await this.readiness.check();
    sendJson(res, check.ok ? 200 : 503, { status: check.status, detail: check.detail });
  }

  private async scrape(res: ServerResponse): Promise<void> {
    const text = await this.metrics.registry.metrics();
    res.writeHead(200, { 'content-type': this.metrics.registry.contentType, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async chat(req: IncomingMessage, res: ServerResponse, started: number, caller: CallerIdentity, user: ForwardedUser): Promise<void> {
    let request: ChatRequest;
    let messages: { first: string; latest: string; previous?: string };
    try {
      request = parseChatRequest(JSON.parse(await readBody(req)));
      messages = userMessages(request);
    } catch (error) {
      const message = error instanceof SyntaxError ? `malformed JSON: ${error.message}` : (error as Error).message;
      const status = error instanceof BadRequestError || error instanceof SyntaxError ? 400 : 413;
      this.record('', false, started, caller, { status });
      return sendJson(res, status, errorBody(message, 'invalid_request_error'));
    }
    const agent = this.agents.get(request.model);
    if (!agent) {
      this.record(request.model, request.stream, started, caller, { status: 404 });
      const available = this.config.agents.filter((a) => isAllowed(a.allow, user)).map((a) => a.id);
      return sendJson(
        res,
        404,
        errorBody(`The model '${request.model}' does not exist; available: ${available.join(', ')}`, 'invalid_request_error', 'model_not_found'),
      );
    }
    if (!isAllowed(agent.allow, user)) {
      this.record(request.model, request.stream, started, caller, { status: 403, error: 'not_allowed' });
      const message = `You are not allowed to use the model '${request.model}': it is limited to some users or roles. Ask an administrator to add you to its allow-list.`;
      return sendJson(res, 403, errorBody(message, 'permission_error', 'model_not_allowed'));
    }
    const chatId = req.headers[CHAT_ID_HEADER];
    const contextId = contextIdFor(Array.isArray(chatId) ? chatId[0] : chatId, messages.first);
    // A reply to a pending approval's question is the user's decision on it, whatever it says.
    const key = approvalKey(agent.id, caller.userId, contextId);
    const pending = this.approvals.take(key, (request) => repliesTo(messages.previous, request));
    const decision = pending && decide(pending, messages.latest);
    const notice = pending && decision && !decision.approve ? notRunNotice(pending.tools, decision) : '';
    const call = new UpstreamCall(this.config.idleTimeoutMs);
    res.once('close', () => {
      if (!res.writableFinished) call.cancel();
    });
    const outcome: Outcome = { status: 200, ...(decision && { approval: decision.approve ? 'approved' : 'rejected' }) };
    const onText = () => {
      outcome.ttftMs ??= performance.now() - started;
    };
    if (request.stream) this.metrics.openStreams.inc();
    try {
      const url = this.agentUrl(agent);
      const version = this.versions.knownVersion(url) ?? (await this.versions.versionFor(url));
      const options = { version, pool: this.pool, call, userId: caller.userId };
      const relayOptions: RelayOptions = {
        showToolCalls: this.config.showToolCalls,
        onText,
        onApproval: (request) => {
          this.approvals.set(key, request);
          outcome.approval = 'requested';
          return approvalQuestion(request.tools);
        },
        notice,
      };
      const relay: Relay = (onPiece, onEnd) => relayAnswer(openStream(url, decision ?? messages.latest, contextId, options), relayOptions, onPiece, onEnd);
      const formatter = new CompletionFormatter(request.model);
      const error = await (request.stream ? streamAnswer(res, formatter, relay) : completeAnswer(res, formatter, relay));
      // A call cut because the client left is not the agent's failure.
      if (error && !call.isCancelled) {
        outcome.status = error.status;
        outcome.error = error.type;
        this.upstreamError(agent, error);
      }
    } finally {
      if (request.stream) this.metrics.openStreams.dec();
      call.end();
      if (call.isCancelled) {
        // What the client was sent, or nginx's 499 when it left before the answer began.
        outcome.status = res.headersSent ? res.statusCode : 499;
        outcome.error = 'client_closed';
      }
      this.record(request.model, request.stream, started, caller, outcome);
    }
  }

  private upstreamError(agent: AgentTarget, error: UpstreamError): void {
    this.metrics.upstreamErrors.inc({ agent: `${agent.namespace}/${agent.name}`, reason: error.type });
    // The agent's own failure text may quote the conversation: only transport errors keep their detail.
    const detail = error instanceof AgentRunError || error instanceof AgentRunCutOffError ? undefined : error.message.slice(0, 300);
    this.log({ level: 'error', msg: 'upstream error', agent: `${agent.namespace}/${agent.name}`, reason: error.type, status: error.status, detail });
  }

  private record(model: string, stream: boolean, started: number, caller: CallerIdentity, outcome: Outcome): void {
    const seconds = (performance.now() - started) / 1000;
    this.metrics.requests.inc({ model, status: String(outcome.status), caller: caller.kind });
    this.metrics.duration.observe({ model, stream: String(stream) }, seconds);
    if (outcome.ttftMs !== undefined) this.metrics.ttft.observe({ model, stream: String(stream) }, outcome.ttftMs / 1000);
    this.log({
      level: outcome.status >= 500 ? 'error' : 'info',
      msg: 'request',
      method: 'POST',
      path: '/v1/chat/completions',
      model,
      status: outcome.status,
      duration_ms: round(seconds * 1000),
      ttft_ms: outcome.ttftMs === undefined ? null : round(outcome.ttftMs),
      stream,
      error: outcome.error,
      user: caller.userId,
      caller: caller.kind,
      approval: outcome.approval,
    });
  }
}

/** Creates the bridge and returns its HTTP server (not yet listening). */
export function createBridgeServer(config: BridgeConfig, options: BridgeOptions = {}): Server {
  return new Bridge(config, options).server;
}

/** The answer of `/readyz`: `status` says what is wrong, `detail` where. */
interface ReadyCheck {
  readonly ok: boolean;
  readonly status: string;
  readonly detail: string;
}

const UNREACHABLE = 'kagent A2A endpoint unreachable';
const CARD_MISSING = 'agent card missing';

/**
 * Can every exposed agent be called? Each agent's card is asked for (any answer below 500 counts, but a 404 at
 * every card path means kagent has no such agent); the result is reused for `cacheMs`.
 */
class Readiness {
  private last?: { readonly at: number; readonly result: Promise<ReadyCheck> };

  constructor(
    private readonly agents: ReadonlyArray<{ readonly name: string; readonly url: string }>,
    private readonly cacheMs: number,
    private readonly pool: UpstreamPool,
  ) {}

  public check(): Promise<ReadyCheck> {
    if (this.last && performance.now() - this.last.at < this.cacheMs) return this.last.result;
    const result = this.probe();
    this.last = { at: performance.now(), result };
    return result;
  }

  /** Unreachable trumps a missing card: it is the one to fix first. */
  private async probe(): Promise<ReadyCheck> {
    const failed = (await Promise.all(this.agents.map((agent) => this.probeAgent(agent)))).filter((check) => !check.ok);
    if (failed.length === 0) return { ok: true, status: 'ready', detail: `the agent cards of ${this.agents.map((a) => a.name).join(', ')} answered` };
    const status = failed.some((check) => check.status === UNREACHABLE) ? UNREACHABLE : CARD_MISSING;
    return {
      ok: false,
      status,
      detail: failed
        .filter((check) => check.status === status)
        .map((check) => check.detail)
        .join('; '),
    };
  }

  private async probeAgent(agent: { readonly name: string; readonly url: string }): Promise<ReadyCheck> {
    const url = `${agent.url}${CARD_PATHS[0]}`;
    try {
      // Off the pool: a probe must not queue behind the streams holding every pooled connection.
      const card = await lookUpCard(this.pool, agent.url, { pooled: false, signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
      if (card.kind === 'missing') {
        return {
          ok: false,
          status: CARD_MISSING,
          detail: `agent ${agent.name} has no agent card (HTTP 404 at ${agent.url}{${CARD_PATHS.join(',')}}): is it deployed, and named so in AGENTS?`,
        };
      }
      if (card.kind === 'status' && card.status >= 500) return { ok: false, status: UNREACHABLE, detail: `${url} answered HTTP ${card.status}` };
      return { ok: true, status: 'ready', detail: url };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { ok: false, status: UNREACHABLE, detail: `${url}: ${e.code ?? e.message ?? String(error)}` };
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function modelList(agents: readonly AgentTarget[]): object {
  return { object: 'list', data: agents.map((a) => ({ id: a.id, object: 'model', created: 0, owned_by: `kagent/${a.namespace}` })) };
}

/** Takes one piece of the answer; a promise it returns holds the next one back until it settles. */
type PieceHandler = (piece: string) => void | Promise<void>;
/**
 * Runs one agent call, handing each piece of the answer to `onPiece` as soon as its event arrives, and calling
 * `onEnd` in the same turn as the run's last event once every piece was taken.
 */
type Relay = (onPiece: PieceHandler, onEnd: () => void) => Promise<void>;

/** How one agent call becomes the answer. */
interface RelayOptions {
  /** Show tool calls as collapsed blocks. */
  readonly showToolCalls: boolean;
  /** Called for every piece of answer text (the first one sets the time to first token). */
  readonly onText: () => void;
  /** The run paused for a tool approval: keeps it, and returns the question that ends the answer. */
  readonly onApproval: (request: ApprovalRequest) => string;
  /** Text that ends the answer of a completed run (the notice that a rejected call was not made), else ''. */
  readonly notice: string;
}

/**
 * Hands the answer (text, and tool blocks when shown) to `onPiece` as it arrives: the first piece the moment its
 * event is parsed, then each batch of events that arrived together as one piece (one chunk for the client to
 * read instead of one per token). Throws {@link AgentRunCutOffError} when the stream ends before the run did.
 */
async function relayAnswer(opening: Promise<A2aStream>, options: RelayOptions, onPiece: PieceHandler, onEnd: () => void): Promise<void> {
  const stream = await opening;
  const extractor = new AnswerExtractor();
  let started = false;
  let batch = '';
  let notice = options.notice;
  await stream.forEach((event, more) => {
    for (const delta of extractor.accept(event)) {
      if (delta.text) {
        options.onText();
        batch += delta.text;
      } else if (delta.tool && options.showToolCalls) batch += toolBlock(delta.tool);
      else if (delta.approval) {
        // The notice about the rejected call comes before a new question.
        batch += notice + options.onApproval(delta.approval);
        notice = '';
      }
    }
    if (extractor.done) {
      batch += notice;
      notice = '';
    }
    let taken: void | Promise<void> = undefined;
    // Held back only after the first piece, while more events of the same arrival are still to come.
    if (batch && !(started && more && !extractor.done)) {
      started = true;
      taken = onPiece(batch);
      batch = '';
    }
    if (!extractor.done) return taken;
    // The run is over: stop reading once what it said has been taken.
    const end = () => {
      stream.stop();
      onEnd();
    };
    return taken ? taken.then(end) : end();
  });
  if (!extractor.done) throw new AgentRunCutOffError(CUT_OFF_MESSAGE);
}

function asUpstream(error: unknown): UpstreamError {
  return error instanceof UpstreamError ? error : new UpstreamError(error instanceof Error ? error.message : String(error));
}

/** Collects the answer and sends one `chat.completion`; returns the error it answered with, if any. */
async function completeAnswer(res: ServerResponse, formatter: CompletionFormatter, relay: Relay): Promise<UpstreamError | undefined> {
  let answer = '';
  try {
    await relay(
      (piece) => {
        answer += piece;
      },
      () => undefined,
    );
  } catch (error) {
    const upstream = asUpstream(error);
    sendJson(res, upstream.status, errorBody(upstream.message, upstream.type));
    return upstream;
  }
  sendJson(res, 200, formatter.completion(answer));
  return undefined;
}

/** Resolves when the response can take more data, or is gone. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Streams SSE chunks. Headers wait for the first piece, so an upstream that cannot be reached (or fails at
 * once) is a plain HTTP error; a failure mid-stream becomes an `error` event the OpenAI clients raise, and a
 * run cut off mid-answer first gets a visible notice. When the client reads slower than the agent writes,
 * the next piece is not pulled (nor the upstream read) until the response drains. Returns the error, if any.
 */
async function streamAnswer(res: ServerResponse, formatter: CompletionFormatter, relay: Relay): Promise<UpstreamError | undefined> {
  /** Writes one SSE event; returns a promise when the client's buffer is full. */
  const send = (data: unknown): void | Promise<void> => {
    if (!res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`) && !res.destroyed) return writable(res);
  };
  /** The headers and the role chunk, with the first piece in the same write. */
  const start = (piece?: string) => {
    res.writeHead(200, SSE_HEADERS);
    const first = piece === undefined ? '' : `data: ${formatter.chunk({ content: piece })}\n\n`;
    const full = !res.write(`data: ${formatter.chunk({ role: 'assistant', content: '' })}\n\n${first}`);
    return full && !res.destroyed ? writable(res) : undefined;
  };
  /**
   * The end of a complete answer, written in the same turn as the run's last event: `end()` then sends it with
   * the pieces that came along in one write (each write is a system call that also wakes the client, the
   * costliest step of a request), where Node would send those at the next tick and the end after it.
   */
  const finish = () => {
    if (!res.headersSent) start();
    // No waiting for the client here: `end()` takes these last few bytes whatever its buffer holds.
    void send(formatter.chunk({}, 'stop'));
    void send('[DONE]');
    res.end();
  };
  try {
    await relay((piece) => {
      if (res.destroyed) return undefined;
      if (res.headersSent) return send(formatter.chunk({ content: piece }));
      const sent = start(piece);
      // Node holds a response's writes until the next tick, which comes only after every upstream event
      // already received has been handled: the first token goes out now.
      res.uncork();
      return sent;
    }, finish);
  } catch (error) {
    const upstream = asUpstream(error);
    if (res.destroyed) return upstream;
    if (!res.headersSent) {
      sendJson(res, upstream.status, errorBody(upstream.message, upstream.type));
      return upstream;
    }
    if (upstream instanceof AgentRunCutOffError) await send(formatter.chunk({ content: `\n\n> ⚠️ ${CUT_OFF_MESSAGE}` }));
    await send(errorBody(upstream.message, upstream.type));
    await send('[DONE]');
    res.end();
    return upstream;
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
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

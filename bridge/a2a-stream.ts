import { randomUUID } from 'node:crypto';
import type { ClientRequest, IncomingMessage } from 'node:http';
import type { JSONRPCErrorResponse, Message as MessageV03 } from '@a2a-js/sdk';
import { A2A_VERSION_HEADER, Role, SendMessageRequest, StreamResponse } from 'a2a-sdk-v1';
import { legacyPushNotificationToV1StreamResponse } from 'a2a-sdk-v1/compat/v0_3';
import { createParser } from 'eventsource-parser';
import type { WireVersion } from './agent-card';
import { decisionData, decisionLabel, type ApprovalDecision } from './approval';
import { AgentRunError, UpstreamError, UpstreamTimeoutError } from './errors';
import { readText, type UpstreamPool } from './upstream-http';
import { KAGENT_USER_ID_HEADER } from './user-identity';

/**
 * One event of an A2A stream, whatever the wire version: the SDK's v1.0 `StreamResponse`
 * (`payload.$case` = `task` | `message` | `statusUpdate` | `artifactUpdate`).
 */
export type StreamEvent = StreamResponse;

export interface StreamOptions {
  /** The wire version to speak. */
  readonly version: WireVersion;
  /** Keep-alive connections to kagent. */
  readonly pool: UpstreamPool;
  /** Cancels the call: on the client's behalf, or when the agent is silent for too long. */
  readonly call: UpstreamCall;
  /** Whom the agent acts for: kagent's `x-user-id`, which keys its sessions and memory. */
  readonly userId: string;
}

/**
 * The JSON-RPC request for one user message in the wire version's method and shapes: the user's text, or a
 * decision on a task waiting for a tool approval (a data part and a text part on that task, as kagent's UI sends it).
 */
export function streamingRequest(version: WireVersion, input: string | ApprovalDecision, contextId: string): object {
  const id = randomUUID();
  const decision = typeof input === 'string' ? undefined : input;
  const text = decision ? decisionLabel(decision) : (input as string);
  if (version === '1.0') {
    const textPart = { content: { $case: 'text' as const, value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
    const params = SendMessageRequest.toJSON({
      tenant: '',
      message: {
        messageId: randomUUID(),
        contextId,
        taskId: decision?.taskId ?? '',
        role: Role.ROLE_USER,
        metadata: { displaySource: 'user' },
        extensions: [],
        referenceTaskIds: [],
        parts: decision
          ? [{ content: { $case: 'data', value: decisionData(decision) }, metadata: undefined, filename: '', mediaType: 'application/json' }, textPart]
          : [textPart],
      },
      configuration: undefined,
      metadata: undefined,
    });
    return { jsonrpc: '2.0', id, method: 'SendStreamingMessage', params };
  }
  // As kagent's UI sends it.
  const parts: MessageV03['parts'] = decision
    ? [
        { kind: 'data', data: decisionData(decision) },
        { kind: 'text', text },
      ]
    : [{ kind: 'text', text }];
  const message: MessageV03 = {
    kind: 'message',
    messageId: randomUUID(),
    role: 'user',
    parts,
    contextId,
    ...(decision && { taskId: decision.taskId }),
    metadata: { displaySource: 'user' },
  };
  return { jsonrpc: '2.0', id, method: 'message/stream', params: { message, metadata: {} } };
}

/** Reads one `data:` payload into the common event type (v0.3 through the SDK's own v0.3 → v1.0 converter). */
export function parseEvent(version: WireVersion, data: string): StreamEvent {
  const payload = JSON.parse(data) as { result?: unknown } & Partial<JSONRPCErrorResponse>;
  if (payload.error) throw new AgentRunError(`agent error ${payload.error.code}: ${payload.error.message}`);
  return version === '1.0' ? StreamResponse.fromJSON(payload.result) : legacyPushNotificationToV1StreamResponse(payload.result);
}

/**
 * Handles one event; `more` when further events arrived with it (already received, handed over next). A
 * promise it returns pauses the stream until it settles (the client cannot take more yet).
 */
export type EventHandler = (event: StreamEvent, more: boolean) => void | Promise<void>;

/**
 * Sends the message (the user's text or an approval decision) as an A2A streaming request (v0.3 `message/stream` or v1.0 `SendStreamingMessage`, with the
 * matching `A2A-Version` header, and the caller as `x-user-id`) and resolves once the agent answers with an event stream. HTTP errors, a
 * JSON-RPC error instead of a stream, and silence longer than the idle timeout reject with an {@link UpstreamError}.
 */
export async function openStream(agentUrl: string, input: string | ApprovalDecision, contextId: string, options: StreamOptions): Promise<A2aStream> {
  const { call } = options;
  call.arm();
  try {
    const res = await options.pool.send(agentUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        [A2A_VERSION_HEADER]: options.version,
        [KAGENT_USER_ID_HEADER]: options.userId,
      },
      body: JSON.stringify(streamingRequest(options.version, input, contextId)),
      onRequest: call.attach,
    });
    if (res.statusCode !== 200) {
      throw new UpstreamError(`agent endpoint ${agentUrl} answered HTTP ${res.statusCode}: ${(await readText(res, 300)).slice(0, 300)}`);
    }
    if (!String(res.headers['content-type']).includes('text/event-stream')) {
      const body = JSON.parse(await readText(res)) as Partial<JSONRPCErrorResponse>;
      throw new UpstreamError(`agent endpoint ${agentUrl} did not stream: ${body.error?.message ?? 'unexpected response'}`);
    }
    return new A2aStream(agentUrl, res, options.version, call);
  } catch (error) {
    call.end();
    throw call.explain(error, agentUrl);
  }
}

/**
 * The events of one A2A stream, pushed to a handler the moment each is parsed: the `data` callback runs the
 * whole way from the socket to the client, without the async iteration that used to cost more than the rest
 * of the bridge. While the handler's promise is pending the body is not read, so a slow client slows the agent
 * (TCP back-pressure) instead of filling the bridge's memory.
 */
export class A2aStream {
  /** Payloads parsed from the body and not handled yet: one chunk can carry many events. */
  private readonly backlog: string[] = [];
  // The callback parser on raw chunks: two TransformStreams per event cost more than the bridge itself.
  private readonly parser = createParser({ onEvent: (event) => this.backlog.push(event.data) });
  private readonly onData = (chunk: string) => this.receive(chunk);
  private handler: EventHandler = () => undefined;
  private settle?: { readonly resolve: () => void; readonly reject: (error: unknown) => void };
  private waiting = false;
  private ended = false;

  constructor(
    private readonly agentUrl: string,
    private readonly res: IncomingMessage,
    private readonly version: WireVersion,
    private readonly call: UpstreamCall,
  ) {}

  /**
   * Hands every event to `handler`, in order. Resolves at the end of the stream or after {@link stop}; rejects
   * with the first error, the handler's own included (then the rest of the body is left unread).
   */
  public forEach(handler: EventHandler): Promise<void> {
    this.handler = handler;
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
      this.res.setEncoding('utf8');
      this.res.on('data', this.onData);
      this.res.once('end', () => {
        this.ended = true;
        this.pump();
      });
      this.res.on('error', (error) => this.fail(this.call.explain(error, this.agentUrl)));
    });
  }

  /** No more events are wanted (the run is over): the rest of the body is read and dropped, so the connection is reused. */
  public stop(): void {
    const settle = this.release();
    settle?.resolve();
  }

  private receive(chunk: string): void {
    this.call.touch();
    this.parser.feed(chunk);
    this.pump();
  }

  /** Hands the backlog to the handler until it is empty, the handler asks for a pause, or the stream is settled. */
  private pump(): void {
    while (this.settle && !this.waiting && this.backlog.length > 0) {
      let event: StreamEvent;
      let next: void | Promise<void>;
      try {
        event = parseEvent(this.version, this.backlog.shift()!);
      } catch (error) {
        return this.fail(this.call.explain(error, this.agentUrl));
      }
      try {
        next = this.handler(event, this.backlog.length > 0);
      } catch (error) {
        return this.fail(error);
      }
      if (next && this.settle) this.pause(next);
    }
    if (this.ended && !this.waiting && this.backlog.length === 0) this.stop();
  }

  private pause(until: Promise<void>): void {
    this.waiting = true;
    this.res.pause();
    until.then(
      () => {
        this.waiting = false;
        this.pump();
        if (this.settle && !this.waiting) this.res.resume();
      },
      (error: unknown) => this.fail(error),
    );
  }

  private fail(error: unknown): void {
    const settle = this.release();
    settle?.reject(error);
  }

  /** Ends the call once: stops reading, lets the connection go back to the pool, and returns how to settle. */
  private release(): { readonly resolve: () => void; readonly reject: (error: unknown) => void } | undefined {
    const settle = this.settle;
    this.settle = undefined;
    if (!settle) return undefined;
    this.call.end();
    this.res.off('data', this.onData);
    if (!this.res.complete && !this.res.destroyed) drainForReuse(this.res, this.call);
    return settle;
  }
}

/**
 * The lifetime of one agent call: {@link cancel}led when the client goes away, or by itself when the agent sends
 * nothing for `idleTimeoutMs`. One per request, made before the call (the client can leave at any moment).
 */
export class UpstreamCall {
  /** The request in flight, until it is done (its socket may then serve another call). */
  private request?: ClientRequest;
  /** Why the call was cut, once it was. */
  private cutFor?: Error;
  private idle?: NodeJS.Timeout;
  private timedOut = false;
  private cancelled = false;

  constructor(private readonly idleTimeoutMs: number) {}

  /** True when {@link cancel} was called (not for a timeout). */
  public get isCancelled(): boolean {
    return this.cancelled;
  }

  /** For the pool: the request sent for this call. (Not an AbortSignal: the request's signal plumbing cost more than the rest of sending it.) */
  public readonly attach = (req: ClientRequest): void => {
    if (this.cutFor) return void req.destroy(this.cutFor);
    this.request = req;
    req.once('close', () => {
      if (this.request === req) this.request = undefined;
    });
  };

  /** The call is gone for its caller (the client closed the request). */
  public cancel(): void {
    this.cancelled = true;
    this.cut(new Error('client closed the request'));
  }

  /** Starts the idle timeout. */
  public arm(): void {
    this.idle = setTimeout(() => {
      this.timedOut = true;
      this.cut(new Error('idle timeout'));
    }, this.idleTimeoutMs);
  }

  /** Something arrived: the idle timeout starts again (one timer, re-armed; cheaper than a new one per chunk). */
  public touch(): void {
    this.idle?.refresh();
  }

  /** The call is over: no more timeouts. */
  public end(): void {
    clearTimeout(this.idle);
  }

  /** Cuts a response that does not end (its connection is then not reused). */
  public giveUp(): void {
    this.cut(new Error('stream did not end after the final event'));
  }

  /** What to report for a failed call: upstream errors as they are, anything else as the transport failure it was. */
  public explain(error: unknown, agentUrl: string): unknown {
    if (this.timedOut) return new UpstreamTimeoutError(`agent sent nothing for ${this.idleTimeoutMs} ms`);
    if (error instanceof UpstreamError || this.cancelled) return error;
    if (error instanceof SyntaxError) return new UpstreamError(`agent endpoint ${agentUrl} sent malformed JSON: ${error.message}`);
    const cause = error as { code?: string; message?: string };
    return new UpstreamError(`cannot reach agent endpoint ${agentUrl}: ${cause.code ?? cause.message ?? String(error)}`);
  }

  /** Destroys the request in flight (and its response), and any request sent after. */
  private cut(reason: Error): void {
    this.cutFor ??= reason;
    this.request?.destroy(reason);
  }
}

/** After the final event the server closes the stream at once; read that tail so the socket returns to the pool. */
function drainForReuse(res: IncomingMessage, call: UpstreamCall): void {
  const giveUp = setTimeout(() => call.giveUp(), 1_000);
  giveUp.unref();
  res
    .on('end', () => clearTimeout(giveUp))
    .on('error', () => clearTimeout(giveUp))
    .resume();
}

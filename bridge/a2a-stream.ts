import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { JSONRPCErrorResponse, Message as MessageV03 } from '@a2a-js/sdk';
import { A2A_VERSION_HEADER, Role, SendMessageRequest, StreamResponse } from 'a2a-sdk-v1';
import { legacyPushNotificationToV1StreamResponse } from 'a2a-sdk-v1/compat/v0_3';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { WireVersion } from './agent-card';
import { AgentRunError, UpstreamError, UpstreamTimeoutError } from './errors';
import { readText, type UpstreamPool } from './upstream-http';

/**
 * One event of an A2A stream, whatever the wire version: the SDK's v1.0 `StreamResponse`
 * (`payload.$case` = `task` | `message` | `statusUpdate` | `artifactUpdate`).
 */
export type StreamEvent = StreamResponse;

export interface StreamOptions {
  /** The wire version to speak. */
  readonly version: WireVersion;
  /** Abort when nothing arrives for this long. */
  readonly idleTimeoutMs: number;
  /** Keep-alive connections to kagent. */
  readonly pool: UpstreamPool;
  /** Aborts the upstream request (e.g. the client went away). */
  readonly signal?: AbortSignal;
}

/** The JSON-RPC request for one user message, in the wire version's method and shapes. */
export function streamingRequest(version: WireVersion, text: string, contextId: string): object {
  const id = randomUUID();
  if (version === '1.0') {
    const params = SendMessageRequest.toJSON({
      tenant: '',
      message: {
        messageId: randomUUID(), contextId, taskId: '', role: Role.ROLE_USER, metadata: { displaySource: 'user' }, extensions: [], referenceTaskIds: [],
        parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
      },
      configuration: undefined,
      metadata: undefined,
    });
    return { jsonrpc: '2.0', id, method: 'SendStreamingMessage', params };
  }
  // As kagent's UI sends it.
  const message: MessageV03 = { kind: 'message', messageId: randomUUID(), role: 'user', parts: [{ kind: 'text', text }], contextId, metadata: { displaySource: 'user' } };
  return { jsonrpc: '2.0', id, method: 'message/stream', params: { message, metadata: {} } };
}

/** Reads one `data:` payload into the common event type (v0.3 through the SDK's own v0.3 → v1.0 converter). */
export function parseEvent(version: WireVersion, data: string): StreamEvent {
  const payload = JSON.parse(data) as { result?: unknown } & Partial<JSONRPCErrorResponse>;
  if (payload.error) throw new AgentRunError(`agent error ${payload.error.code}: ${payload.error.message}`);
  return version === '1.0' ? StreamResponse.fromJSON(payload.result) : legacyPushNotificationToV1StreamResponse(payload.result);
}

/**
 * Sends the message as an A2A streaming request (v0.3 `message/stream` or v1.0 `SendStreamingMessage`, with the
 * matching `A2A-Version` header) and yields each event. The body is read only as fast as the caller pulls
 * events, so a slow client slows the upstream (TCP back-pressure) instead of filling the bridge's memory.
 * JSON-RPC errors, HTTP errors and silence longer than the idle timeout throw; the generator simply returns
 * at the end of the stream (the caller decides whether the run was complete).
 */
export async function* streamMessage(agentUrl: string, text: string, contextId: string, options: StreamOptions): AsyncGenerator<StreamEvent> {
  const abort = new AbortController();
  const onClientAbort = () => abort.abort(new Error('client closed the request'));
  options.signal?.addEventListener('abort', onClientAbort, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      abort.abort(new Error('idle timeout'));
    }, options.idleTimeoutMs);
  };
  let res: IncomingMessage | undefined;
  try {
    arm();
    res = await options.pool.send(agentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', [A2A_VERSION_HEADER]: options.version },
      body: JSON.stringify(streamingRequest(options.version, text, contextId)),
      signal: abort.signal,
    });
    if (res.statusCode !== 200) {
      throw new UpstreamError(`agent endpoint ${agentUrl} answered HTTP ${res.statusCode}: ${(await readText(res, 300)).slice(0, 300)}`);
    }
    if (!String(res.headers['content-type']).includes('text/event-stream')) {
      const body = JSON.parse(await readText(res)) as Partial<JSONRPCErrorResponse>;
      throw new UpstreamError(`agent endpoint ${agentUrl} did not stream: ${body.error?.message ?? 'unexpected response'}`);
    }
    // The callback parser on raw chunks: two TransformStreams per event cost more than the bridge itself.
    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => pending.push(event) });
    res.setEncoding('utf8');
    // Not destroyed when the caller stops early: the rest is drained in `finally`, so the connection is reused.
    for await (const chunk of res.iterator({ destroyOnReturn: false })) {
      arm();
      parser.feed(chunk as string);
      for (const event of pending.splice(0)) yield parseEvent(options.version, event.data);
    }
  } catch (error) {
    if (timedOut) throw new UpstreamTimeoutError(`agent sent nothing for ${options.idleTimeoutMs} ms`);
    if (error instanceof UpstreamError || options.signal?.aborted) throw error;
    if (error instanceof SyntaxError) throw new UpstreamError(`agent endpoint ${agentUrl} sent malformed JSON: ${error.message}`);
    const cause = (error as { code?: string; message?: string });
    throw new UpstreamError(`cannot reach agent endpoint ${agentUrl}: ${cause.code ?? cause.message ?? String(error)}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onClientAbort);
    if (res && !res.complete && !res.destroyed) drainForReuse(res, abort);
  }
}

/** After the final event the server closes the stream at once; read that tail so the socket returns to the pool. */
function drainForReuse(res: IncomingMessage, abort: AbortController): void {
  const giveUp = setTimeout(() => abort.abort(new Error('stream did not end after the final event')), 1_000);
  giveUp.unref();
  res.on('end', () => clearTimeout(giveUp)).on('error', () => clearTimeout(giveUp)).resume();
}

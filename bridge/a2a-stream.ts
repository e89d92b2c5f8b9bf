import { randomUUID } from 'node:crypto';
import type { JSONRPCErrorResponse, Message, SendStreamingMessageResponse, SendStreamingMessageSuccessResponse } from '@a2a-js/sdk';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { AgentRunError, UpstreamError, UpstreamTimeoutError } from './errors';

/** One event of an A2A v0.3 `message/stream` response. */
export type StreamEvent = SendStreamingMessageSuccessResponse['result'];

export interface StreamOptions {
  /** Abort when nothing arrives for this long. */
  readonly idleTimeoutMs: number;
  /** Aborts the upstream request (e.g. the client went away). */
  readonly signal?: AbortSignal;
}

/** A user message as kagent's UI sends it. */
export function userMessage(text: string, contextId: string): Message {
  return {
    kind: 'message',
    messageId: randomUUID(),
    role: 'user',
    parts: [{ kind: 'text', text }],
    contextId,
    metadata: { displaySource: 'user' },
  };
}

/**
 * Sends A2A v0.3 JSON-RPC `message/stream` (no `A2A-Version` header: kagent 0.7 treats that as 0.3) and
 * yields each event. JSON-RPC errors, HTTP errors and silence longer than the idle timeout throw.
 */
export async function* streamMessage(agentUrl: string, message: Message, options: StreamOptions): AsyncGenerator<StreamEvent> {
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
  try {
    arm();
    const response = await fetch(agentUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: randomUUID(), method: 'message/stream', params: { message, metadata: {} } }),
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      throw new UpstreamError(`agent endpoint ${agentUrl} answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
    }
    if (!String(response.headers.get('content-type')).includes('text/event-stream')) {
      const body = (await response.json()) as Partial<JSONRPCErrorResponse>;
      throw new UpstreamError(`agent endpoint ${agentUrl} did not stream: ${body.error?.message ?? 'unexpected response'}`);
    }
    // The callback parser on raw chunks: two TransformStreams per event cost more than the bridge itself.
    const pending: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (event) => pending.push(event) });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      arm();
      parser.feed(decoder.decode(chunk, { stream: true }));
      for (const event of pending.splice(0)) {
        const payload = JSON.parse(event.data) as SendStreamingMessageResponse;
        if ('error' in payload && payload.error) {
          throw new AgentRunError(`agent error ${payload.error.code}: ${payload.error.message}`);
        }
        yield (payload as SendStreamingMessageSuccessResponse).result;
      }
    }
  } catch (error) {
    if (timedOut) throw new UpstreamTimeoutError(`agent sent nothing for ${options.idleTimeoutMs} ms`);
    if (error instanceof UpstreamError || options.signal?.aborted) throw error;
    throw new UpstreamError(`cannot reach agent endpoint ${agentUrl}: ${error instanceof Error ? (error.cause as Error)?.message ?? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onClientAbort);
    abort.abort();
  }
}

import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { parseAgents, type BridgeConfig } from '../../bridge/config';
import type { LogRecord } from '../../bridge/observability';
import { Bridge } from '../../bridge/server';
import { startKagentLikeServer, type KagentLikeServer, type KagentLikeServerOptions } from './kagent-like-a2a-server';

export const AGENTS = ['kagent/jairix', 'kagent/azure-devops'];
/** The bearer keys the test bridge accepts: the current one (every harness client sends it) and a rotated-in second. */
export const TEST_API_KEYS = ['test-bridge-key-current-4f1c9a', 'test-bridge-key-rotated-8b2d7e'] as const;
/** The header a raw HTTP request needs to pass the bridge's key check. */
export const AUTHORIZATION = { authorization: `Bearer ${TEST_API_KEYS[0]}` } as const;

export interface Harness {
  readonly upstream: KagentLikeServer;
  readonly bridge: Bridge;
  readonly bridgeUrl: string;
  readonly openai: OpenAI;
  /** Every log record the bridge wrote. */
  readonly logs: LogRecord[];
  /** An OpenAI client that sends Open WebUI's chat id header. */
  withChatId(chatId: string): OpenAI;
  /** An OpenAI client that sends these headers (e.g. Open WebUI's forwarded user), with this key. */
  withHeaders(headers: Record<string, string>, apiKey?: string): OpenAI;
  close(): Promise<void>;
}

/** The bridge's configuration for tests: every field explicit, overridable. */
export function testConfig(a2aBaseUrl: string, overrides: Partial<BridgeConfig> = {}): BridgeConfig {
  return {
    a2aBaseUrl,
    agents: parseAgents(AGENTS.join(',')),
    port: 0,
    host: '127.0.0.1',
    idleTimeoutMs: 5_000,
    showToolCalls: false,
    a2aVersion: 'auto',
    upstreamMaxSockets: 64,
    shutdownGraceMs: 5_000,
    readyCacheMs: 5_000,
    apiKeys: [...TEST_API_KEYS],
    userIdFrom: 'email',
    serviceUserId: 'open-webui-service',
    ...overrides,
  };
}

/** A kagent-like A2A server, the bridge in front of it, and the official OpenAI client pointed at the bridge. */
export async function startHarness(overrides: Partial<BridgeConfig> = {}, upstreamOptions: KagentLikeServerOptions = {}): Promise<Harness> {
  const upstream = await startKagentLikeServer(AGENTS, upstreamOptions);
  const logs: LogRecord[] = [];
  const bridge = new Bridge(testConfig(upstream.a2aBaseUrl, overrides), { log: (record) => logs.push(record) });
  const server = bridge.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (headers: Record<string, string> = {}, apiKey: string = TEST_API_KEYS[0]) =>
    new OpenAI({ baseURL: `${bridgeUrl}/v1`, apiKey, maxRetries: 0, defaultHeaders: headers });
  return {
    upstream,
    bridge,
    bridgeUrl,
    logs,
    openai: client(),
    withChatId: (chatId) => client({ 'X-OpenWebUI-Chat-Id': chatId }),
    withHeaders: client,
    close: async () => {
      server.closeAllConnections();
      await bridge.shutdown(0);
      await upstream.close();
    },
  };
}

/** Collects a streamed answer and the finish reasons seen. */
export async function collectStream(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<{ text: string; finishReasons: string[] }> {
  let text = '';
  const finishReasons: string[] = [];
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta?.content ?? '';
    const reason = chunk.choices[0]?.finish_reason;
    if (reason) finishReasons.push(reason);
  }
  return { text, finishReasons };
}

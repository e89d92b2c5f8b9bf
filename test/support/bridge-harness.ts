import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { parseAgents, type BridgeConfig } from '../../bridge/config';
import type { LogRecord } from '../../bridge/observability';
import { Bridge } from '../../bridge/server';
import { startKagentLikeServer, type KagentLikeServer, type KagentLikeServerOptions } from './kagent-like-a2a-server';

export const AGENTS = ['kagent/jairix', 'kagent/azure-devops'];

export interface Harness {
  readonly upstream: KagentLikeServer;
  readonly bridge: Bridge;
  readonly bridgeUrl: string;
  readonly openai: OpenAI;
  /** Every log record the bridge wrote. */
  readonly logs: LogRecord[];
  /** An OpenAI client that sends Open WebUI's chat id header. */
  withChatId(chatId: string): OpenAI;
  close(): Promise<void>;
}

/** The bridge's configuration for tests: every field explicit, overridable. */
export function testConfig(a2aBaseUrl: string, overrides: Partial<BridgeConfig> = {}): BridgeConfig {
  return {
    a2aBaseUrl, agents: parseAgents(AGENTS.join(',')), port: 0, idleTimeoutMs: 5_000, showToolCalls: false,
    a2aVersion: 'auto', upstreamMaxSockets: 64, shutdownGraceMs: 5_000, readyCacheMs: 5_000, ...overrides,
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
  const client = (headers: Record<string, string> = {}) => new OpenAI({ baseURL: `${bridgeUrl}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: headers });
  return {
    upstream,
    bridge,
    bridgeUrl,
    logs,
    openai: client(),
    withChatId: (chatId) => client({ 'X-OpenWebUI-Chat-Id': chatId }),
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

import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { parseAgents, type BridgeConfig } from '../../bridge/config';
import { createBridgeServer } from '../../bridge/server';
import { startKagentLikeServer, type KagentLikeServer } from './kagent-like-a2a-server';

export const AGENTS = ['kagent/jairix', 'kagent/azure-devops'];

export interface Harness {
  readonly upstream: KagentLikeServer;
  readonly bridgeUrl: string;
  readonly openai: OpenAI;
  /** An OpenAI client that sends Open WebUI's chat id header. */
  withChatId(chatId: string): OpenAI;
  close(): Promise<void>;
}

/** A kagent-like A2A server, the bridge in front of it, and the official OpenAI client pointed at the bridge. */
export async function startHarness(overrides: Partial<BridgeConfig> = {}, upstreamOptions: { chunkDelayMs?: number } = {}): Promise<Harness> {
  const upstream = await startKagentLikeServer(AGENTS, upstreamOptions);
  const server = createBridgeServer({
    a2aBaseUrl: upstream.a2aBaseUrl, agents: parseAgents(AGENTS.join(',')), port: 0, idleTimeoutMs: 5_000, showToolCalls: false, ...overrides,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = (headers: Record<string, string> = {}) => new OpenAI({ baseURL: `${bridgeUrl}/v1`, apiKey: 'unused', maxRetries: 0, defaultHeaders: headers });
  return {
    upstream,
    bridgeUrl,
    openai: client(),
    withChatId: (chatId) => client({ 'X-OpenWebUI-Chat-Id': chatId }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
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

import { createServer, type AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentVersionResolver, offersV1 } from '../../bridge/agent-card';
import { BridgeConfigError, configFromEnv, parseAgents } from '../../bridge/config';
import { contextIdFor } from '../../bridge/context-id';
import { CUT_OFF_MESSAGE } from '../../bridge/errors';
import { CompletionFormatter } from '../../bridge/openai-format';
import { Bridge } from '../../bridge/server';
import { UpstreamPool } from '../../bridge/upstream-http';
import { CUTOFF_PARTIAL, expectedAnswer, startKagentLikeServer, type KagentProtocol } from '../support/kagent-like-a2a-server';
import { AUTHORIZATION, TEST_API_KEYS, collectStream, startHarness, testConfig, type Harness } from '../support/bridge-harness';

/** kagent 0.7 (v0.3 only, 0.2 card path), kagent 0.9.12 (negotiates by header), kagent 1.x (v1.0 only). */
const PROTOCOLS: readonly KagentProtocol[] = ['v0.3', 'negotiate', 'v1.0'];
/** What the bridge must speak to each in `auto` mode. */
const SPOKEN = { 'v0.3': '0.3', negotiate: '1.0', 'v1.0': '1.0' } as const;

/** A free loopback port (nothing listens on it once this resolves). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Text streamed before the client raised, and what it raised. */
async function collectUntilError(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<{ text: string; error: unknown }> {
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

describe.each(PROTOCOLS)('against a %s kagent-like server', (protocol) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { protocol });
  });
  afterAll(() => h.close());

  const ask = (client: OpenAI, content: string, model = 'jairix') =>
    client.chat.completions.create({ model, messages: [{ role: 'user', content }], stream: true }).then(collectStream);

  describe('GET /healthz and /v1/models', () => {
    it('is healthy', async () => {
      const res = await fetch(`${h.bridgeUrl}/healthz`);
      expect(res.status).toBe(200);
    });

    it('lists one model per configured agent, id = agent name', async () => {
      const models = await h.openai.models.list();
      expect(models.data.map((m) => m.id)).toEqual(['jairix', 'azure-devops']);
    });
  });

  describe('POST /v1/chat/completions', () => {
    it('streams exactly the agent text: no user echo, no full-text repeat, no artifact copy', async () => {
      const { text, finishReasons } = await ask(h.withChatId('chat-1'), 'Haal story 78018 op');
      expect(text).toBe(expectedAnswer('jairix', 'Haal story 78018 op', 'openwebui-chat-1'));
      expect(finishReasons).toEqual(['stop']);
    });

    it('answers without streaming with the same exact text', async () => {
      const completion = await h.withChatId('chat-2').chat.completions.create({ model: 'azure-devops', messages: [{ role: 'user', content: 'hello' }] });
      expect(completion.object).toBe('chat.completion');
      expect(completion.choices[0].message.content).toBe(expectedAnswer('azure-devops', 'hello', 'openwebui-chat-2'));
      expect(completion.choices[0].finish_reason).toBe('stop');
    });

    it('keeps text around tool calls and leaves the tool call data out of the answer', async () => {
      const { text } = await ask(h.withChatId('chat-3'), 'TOOL list pods');
      expect(text).toBe(expectedAnswer('jairix', 'TOOL list pods', 'openwebui-chat-3'));
      expect(text).not.toContain('k8s_get_resources');
    });

    it('relays a model that does not stream (full messages only)', async () => {
      const { text } = await ask(h.withChatId('chat-4'), 'NOSTREAM hi');
      expect(text).toBe(expectedAnswer('jairix', 'NOSTREAM hi', 'openwebui-chat-4'));
    });

    it('sends only the newest user message, in the context of the Open WebUI chat id', async () => {
      const before = h.upstream.received.length;
      await h.withChatId('conv-42').chat.completions.create({
        model: 'jairix',
        messages: [
          { role: 'system', content: 'ignored' },
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: 'first answer' },
          { role: 'user', content: 'second question' },
        ],
      });
      expect(h.upstream.received.slice(before)).toEqual([
        { agent: 'jairix', contextId: 'openwebui-conv-42', text: 'second question', partCount: 1, version: SPOKEN[protocol], userId: 'open-webui-service' },
      ]);
    });

    it('falls back to a stable hash of the first user message without the header', async () => {
      const messages = (latest: string) => [
        { role: 'user' as const, content: 'plan the sprint' },
        { role: 'assistant' as const, content: 'ok' },
        { role: 'user' as const, content: latest },
      ];
      const before = h.upstream.received.length;
      await h.openai.chat.completions.create({ model: 'jairix', messages: messages('turn 2') });
      await h.openai.chat.completions.create({ model: 'jairix', messages: messages('turn 3') });
      const [a, b] = h.upstream.received.slice(before);
      expect(a.contextId).toBe(b.contextId);
      expect(a.contextId).toBe(contextIdFor(undefined, 'plan the sprint'));
      expect(contextIdFor(undefined, 'another chat')).not.toBe(a.contextId);
    });

    it('says so when the run pauses for an approval the bridge cannot give', async () => {
      const { text, finishReasons } = await ask(h.withChatId('hitl'), 'APPROVE delete');
      expect(text).toBe(
        'I need approval to delete the pod.Approve k8s_delete_resource?\n\n_The agent is waiting (input-required): approve or answer it in the kagent UI._',
      );
      expect(finishReasons).toEqual(['stop']);
    });

    it('shows tool calls as a collapsed block when asked to', async () => {
      const shown = await startHarness({ showToolCalls: true }, { protocol });
      try {
        const { text } = await ask(shown.withChatId('t'), 'TOOL list pods');
        expect(text).toContain('<details>\n<summary>Tool call: k8s_get_resources</summary>');
        expect(text).toContain('<summary>Tool result: k8s_get_resources</summary>');
        expect(text.replace(/\n<details>[\s\S]*?<\/details>\n/g, '')).toBe(expectedAnswer('jairix', 'TOOL list pods', 'openwebui-t'));
      } finally {
        await shown.close();
      }
    });
  });

  describe('errors', () => {
    it('answers an unknown model with 404 and an OpenAI error body', async () => {
      const error = await h.openai.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'model_not_found' });
      expect(error.message).toContain("The model 'gpt-4' does not exist; available: jairix, azure-devops");
    });

    it('answers malformed JSON with 400', async () => {
      const res = await fetch(`${h.bridgeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTHORIZATION },
        body: '{"model": "jairix", ',
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/^malformed JSON/);
    });

    it('answers an oversized body with 413', async () => {
      const res = await fetch(`${h.bridgeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTHORIZATION },
        body: 'x'.repeat(5 * 1024 * 1024),
      }).catch((e) => e);
      if (res instanceof Response) expect(res.status).toBe(413);
      else expect(String(res.cause ?? res)).toMatch(/EPIPE|ECONNRESET|other side closed/);
      expect((await fetch(`${h.bridgeUrl}/healthz`)).status).toBe(200);
    });

    it('answers a conversation without a user message with 400', async () => {
      const error = await h.openai.chat.completions.create({ model: 'jairix', messages: [{ role: 'system', content: 'x' }] }).catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.message).toContain('the conversation has no user message to send');
    });

    it('turns a failed agent run into an error the streaming client raises', async () => {
      const error = await ask(h.withChatId('f1'), 'FAIL please').catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.message).toContain('agent run failed: model provider returned 500');
    });

    it('turns a failed agent run into a 502 without streaming', async () => {
      const error = await h
        .withChatId('f2')
        .chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'FAIL again' }] })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(502);
      expect(error.message).toContain('agent run failed: model provider returned 500');
    });

    it('times out a stalled upstream with 504', async () => {
      const quick = await startHarness({ idleTimeoutMs: 300 }, { protocol });
      try {
        const error = await quick.openai.chat.completions
          .create({ model: 'jairix', messages: [{ role: 'user', content: 'STALL' }], stream: true })
          .catch((e) => e);
        expect(error).toBeInstanceOf(OpenAI.APIError);
        expect(error.status).toBe(504);
        expect(error.message).toContain('agent sent nothing for 300 ms');
        const { text } = await ask(quick.withChatId('after'), 'still there?');
        expect(text).toBe(expectedAnswer('jairix', 'still there?', 'openwebui-after'));
      } finally {
        await quick.close();
      }
    });

    it('reports an unreachable upstream as 502 and stays up', async () => {
      const port = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port: p } = probe.address() as { port: number };
          probe.close(() => resolve(p));
        });
      });
      const dead = await startHarness({ a2aBaseUrl: `http://127.0.0.1:${port}/api/a2a` }, { protocol });
      try {
        const error = await dead.openai.chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }], stream: true }).catch((e) => e);
        expect(error).toBeInstanceOf(OpenAI.APIError);
        expect(error.status).toBe(502);
        expect(error.message).toContain('cannot reach agent endpoint');
        expect((await fetch(`${dead.bridgeUrl}/healthz`)).status).toBe(200);
      } finally {
        await dead.close();
      }
    });

    it('reports an upstream HTTP error as 502', async () => {
      const wrong = await startHarness({ a2aBaseUrl: `${h.upstream.url}/nowhere` }, { protocol });
      try {
        const error = await wrong.openai.chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }] }).catch((e) => e);
        expect(error.status).toBe(502);
        expect(error.message).toContain('answered HTTP 404');
      } finally {
        await wrong.close();
      }
    });

    it('is still up after every error', async () => {
      const { text } = await ask(h.withChatId('alive'), 'ping');
      expect(text).toBe(expectedAnswer('jairix', 'ping', 'openwebui-alive'));
    });
  });

  describe('concurrency', () => {
    it('completes 50 concurrent streams with exact answers', async () => {
      const slow = await startHarness({}, { chunkDelayMs: 2, protocol });
      try {
        const runs = Array.from({ length: 50 }, (_, i) => ask(slow.withChatId(`c${i}`), `question ${i}`, i % 2 ? 'azure-devops' : 'jairix'));
        const results = await Promise.all(runs);
        results.forEach(({ text }, i) => expect(text).toBe(expectedAnswer(i % 2 ? 'azure-devops' : 'jairix', `question ${i}`, `openwebui-c${i}`)));
      } finally {
        await slow.close();
      }
    });
  });

  describe('A2A version', () => {
    it(`speaks A2A ${SPOKEN[protocol]} to it, found from the agent card, fetched once per agent`, async () => {
      const before = h.upstream.requests.length;
      await ask(h.withChatId('v1'), 'one');
      await ask(h.withChatId('v2'), 'two');
      const requests = h.upstream.requests.slice(before);
      expect(requests.map((r) => [r.version, r.method])).toEqual(
        Array(2).fill([SPOKEN[protocol], SPOKEN[protocol] === '1.0' ? 'SendStreamingMessage' : 'message/stream']),
      );
      expect(h.upstream.received.at(-1)).toMatchObject({ version: SPOKEN[protocol], text: 'two', contextId: 'openwebui-v2', partCount: 1 });
      const jairixCards = h.upstream.cardRequests.filter((p) => p.includes('/jairix/'));
      expect(jairixCards).toEqual(
        protocol === 'v0.3'
          ? ['/api/a2a/kagent/jairix/.well-known/agent-card.json', '/api/a2a/kagent/jairix/.well-known/agent.json']
          : ['/api/a2a/kagent/jairix/.well-known/agent-card.json'],
      );
    });

    it('fetches the card once when many requests arrive together', async () => {
      const fresh = await startHarness({}, { protocol });
      try {
        await Promise.all(Array.from({ length: 5 }, (_, i) => ask(fresh.withChatId(`burst-${i}`), `burst ${i}`)));
        expect(fresh.upstream.cardRequests.filter((p) => p.endsWith('agent-card.json'))).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    });

    it.each(['0.3', '1.0'] as const)('A2A_VERSION=%s forces that version without reading the card', async (forced) => {
      const pinned = await startHarness({ a2aVersion: forced }, { protocol });
      try {
        const result = await ask(pinned.withChatId('pinned'), 'pinned').catch((e: unknown) => e);
        expect(pinned.upstream.cardRequests).toEqual([]);
        const accepts = protocol === 'negotiate' || SPOKEN[protocol] === forced;
        if (accepts) {
          expect(result).toEqual({ text: expectedAnswer('jairix', 'pinned', 'openwebui-pinned'), finishReasons: ['stop'] });
          expect(pinned.upstream.received.map((r) => r.version)).toEqual([forced]);
        } else {
          // The server does not speak it: a clear 502, never a wrong answer.
          expect(result).toBeInstanceOf(OpenAI.APIError);
          expect((result as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
          expect(pinned.upstream.received).toEqual([]);
        }
      } finally {
        await pinned.close();
      }
    });
  });

  describe('a run cut off upstream (the stream ends without a final status)', () => {
    it('answers 504 with an OpenAI error body without streaming, never a truncated answer', async () => {
      const error = await h
        .withChatId('cut-1')
        .chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'CUTOFF long task' }] })
        .catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect(error.status).toBe(504);
      expect(error.error).toMatchObject({ type: 'agent_run_cut_off', message: CUT_OFF_MESSAGE });
    });

    it('ends a stream with a visible notice and then an error the client raises', async () => {
      const stream = await h
        .withChatId('cut-2')
        .chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'CUTOFF long task' }], stream: true });
      const { text, error } = await collectUntilError(stream);
      expect(text).toBe(`${CUTOFF_PARTIAL}\n\n> ⚠️ ${CUT_OFF_MESSAGE}`);
      expect(error).toBeInstanceOf(OpenAI.APIError);
      expect((error as Error).message).toContain('The agent run was cut off before it finished');
    });

    it('sends no stop finish chunk for a cut-off stream', async () => {
      const res = await fetch(`${h.bridgeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTHORIZATION },
        body: JSON.stringify({ model: 'jairix', stream: true, messages: [{ role: 'user', content: 'CUTOFF x' }] }),
      });
      const events = (await res.text())
        .split('\n\n')
        .filter(Boolean)
        .map((e) => e.replace(/^data: /, ''));
      expect(events.at(-1)).toBe('[DONE]');
      expect(JSON.parse(events.at(-2)!)).toEqual({ error: { message: CUT_OFF_MESSAGE, type: 'agent_run_cut_off', param: null, code: null } });
      expect(events.some((e) => e.includes('"finish_reason":"stop"'))).toBe(false);
    });
  });
});

describe('configuration', () => {
  /** The keys every valid configuration needs. */
  const KEYS = { BRIDGE_API_KEYS: TEST_API_KEYS.join(',') };

  it('reads A2A_BASE_URL, AGENTS and PORT from the environment', () => {
    expect(configFromEnv({ A2A_BASE_URL: 'http://kagent-controller.kagent:8083/api/a2a/', AGENTS: 'kagent/jairix, kagent/azure-devops', ...KEYS })).toEqual({
      a2aBaseUrl: 'http://kagent-controller.kagent:8083/api/a2a',
      agents: [
        { id: 'jairix', namespace: 'kagent', name: 'jairix' },
        { id: 'azure-devops', namespace: 'kagent', name: 'azure-devops' },
      ],
      port: 8080,
      host: '0.0.0.0',
      idleTimeoutMs: 300_000,
      showToolCalls: false,
      a2aVersion: 'auto',
      upstreamMaxSockets: 1024,
      shutdownGraceMs: 25_000,
      readyCacheMs: 5_000,
      apiKeys: [...TEST_API_KEYS],
      userIdFrom: 'email',
      serviceUserId: 'open-webui-service',
    });
  });

  it.each([
    [{ AGENTS: 'kagent/jairix' }, 'A2A_BASE_URL is not set; set it to kagent\'s A2A base, e.g. "http://kagent-controller.kagent:8083/api/a2a"'],
    [
      { A2A_BASE_URL: 'kagent-controller.kagent:8083', AGENTS: 'a/x' },
      'A2A_BASE_URL "kagent-controller.kagent:8083" is not an http(s) URL; set it to kagent\'s A2A base, e.g. "http://kagent-controller.kagent:8083/api/a2a"',
    ],
    [{ A2A_BASE_URL: 'http://', AGENTS: 'a/x' }, 'A2A_BASE_URL "http://" is not an http(s) URL'],
    [{ A2A_BASE_URL: 'http://x' }, 'AGENTS is not set; set it to the agents to expose, e.g. "kagent/jairix,kagent/azure-devops"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: '' }, 'AGENTS is empty'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'jairix' }, 'AGENTS entry "jairix" must be "<namespace>/<name>"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x,b/x' }, 'AGENTS names the model id "x" twice; give one of them another id (<id>=<namespace>/<name>)'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x,a.b=b/x' }, 'AGENTS entry "a.b=b/x" must be "<namespace>/<name>" or "<model id>=<namespace>/<name>"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', PORT: 'eighty' }, 'PORT must be a whole number ≥ 1, got "eighty"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', A2A_VERSION: '2.0' }, 'A2A_VERSION must be one of auto, 0.3, 1.0, got "2.0"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', HOST: 'localhost' }, 'HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, got "localhost"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', UPSTREAM_MAX_SOCKETS: '0' }, 'UPSTREAM_MAX_SOCKETS must be a whole number ≥ 1, got "0"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', SHUTDOWN_GRACE_MS: '1.5' }, 'SHUTDOWN_GRACE_MS must be a whole number ≥ 1, got "1.5"'],
    [{ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', READY_CACHE_MS: '-1' }, 'READY_CACHE_MS must be a whole number ≥ 1, got "-1"'],
  ])('rejects %o', (env, message) => {
    expect(() => configFromEnv(env)).toThrow(message);
  });

  it('names every bad setting at once, one line each', () => {
    const error = (() => {
      try {
        configFromEnv({ A2A_BASE_URL: 'kagent:8083', PORT: 'eighty', A2A_VERSION: '2.0' });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BridgeConfigError);
    expect((error as BridgeConfigError).problems).toEqual([
      'A2A_BASE_URL "kagent:8083" is not an http(s) URL; set it to kagent\'s A2A base, e.g. "http://kagent-controller.kagent:8083/api/a2a"',
      'AGENTS is not set; set it to the agents to expose, e.g. "kagent/jairix,kagent/azure-devops"',
      'BRIDGE_API_KEYS is not set; set it to the bearer keys clients must send, separated by commas or newlines (generate one with `openssl rand -hex 32`)',
      'PORT must be a whole number ≥ 1, got "eighty"',
      'A2A_VERSION must be one of auto, 0.3, 1.0, got "2.0"',
    ]);
  });

  it('takes a model id per agent, so two teams can both have an agent called scout', () => {
    expect(configFromEnv({ A2A_BASE_URL: 'http://x', AGENTS: 'kagent/scout,research/scout=research/scout', ...KEYS }).agents).toEqual([
      { id: 'scout', namespace: 'kagent', name: 'scout' },
      { id: 'research/scout', namespace: 'research', name: 'scout' },
    ]);
  });

  it('reads A2A_VERSION, UPSTREAM_MAX_SOCKETS, SHUTDOWN_GRACE_MS and READY_CACHE_MS', () => {
    expect(
      configFromEnv({
        A2A_BASE_URL: 'http://x',
        AGENTS: 'a/x',
        A2A_VERSION: '1.0',
        UPSTREAM_MAX_SOCKETS: '16',
        SHUTDOWN_GRACE_MS: '1000',
        READY_CACHE_MS: '250',
        ...KEYS,
      }),
    ).toMatchObject({
      a2aVersion: '1.0',
      upstreamMaxSockets: 16,
      shutdownGraceMs: 1000,
      readyCacheMs: 250,
    });
    expect(configFromEnv({ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', A2A_VERSION: '0.3', ...KEYS }).a2aVersion).toBe('0.3');
  });

  it('reads v1.0 support from a card by protocolVersion, not position', () => {
    const iface = (protocolVersion: string, protocolBinding = 'JSONRPC') => ({ url: 'http://x/', protocolBinding, protocolVersion, tenant: '' });
    expect(offersV1({ name: 'a', supportedInterfaces: [iface('0.3'), iface('1.0')] })).toBe(true);
    expect(offersV1({ name: 'a', supportedInterfaces: [iface('1.0', 'GRPC')] })).toBe(false);
    expect(offersV1({ name: 'a', url: 'http://x/', protocolVersion: '0.3.0' })).toBe(false);
  });

  it('parses agents', () => expect(parseAgents('ns/a')).toEqual([{ id: 'a', namespace: 'ns', name: 'a' }]));
});

describe('the agent card cache', () => {
  it('knows a version without waiting only once a card was read, never from a card it could not read', async () => {
    const upstream = await startKagentLikeServer(['kagent/jairix'], { protocol: 'negotiate' });
    const pool = new UpstreamPool(4);
    try {
      const resolver = new AgentVersionResolver('auto', pool);
      const agentUrl = `${upstream.a2aBaseUrl}/kagent/jairix/`;
      expect(resolver.knownVersion(agentUrl)).toBeUndefined();
      const reading = resolver.versionFor(agentUrl);
      expect(resolver.knownVersion(agentUrl)).toBeUndefined();
      expect(await reading).toBe('1.0');
      expect(resolver.knownVersion(agentUrl)).toBe('1.0');
      const unreachable = `http://127.0.0.1:${await freePort()}/api/a2a/kagent/jairix/`;
      expect(await resolver.versionFor(unreachable)).toBe('0.3');
      expect(resolver.knownVersion(unreachable)).toBeUndefined();
      expect(new AgentVersionResolver('0.3', pool).knownVersion(agentUrl)).toBe('0.3');
    } finally {
      pool.destroy();
      await upstream.close();
    }
  });
});

describe('chat.completion.chunk', () => {
  it('is exactly the JSON of the OpenAI chunk object', () => {
    const formatter = new CompletionFormatter('research/scout');
    for (const [delta, finishReason] of [
      [{ role: 'assistant', content: '' }, null],
      [{ content: 'a "quote",\n\u2028 ✓ </script>' }, null],
      [{}, 'stop'],
    ] as const) {
      const json = formatter.chunk(delta, finishReason);
      const { id, created } = JSON.parse(json) as { id: string; created: number };
      expect(id).toMatch(/^chatcmpl-/);
      expect(json).toBe(
        JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created,
          model: 'research/scout',
          choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
        }),
      );
    }
  });
});

describe('agents of several teams', () => {
  it('offers a team agent as <namespace>/<name> and routes the model id to its namespace', async () => {
    const upstream = await startKagentLikeServer(['kagent/scout', 'research/analyst']);
    const bridge = new Bridge(testConfig(upstream.a2aBaseUrl, { agents: parseAgents('kagent/scout,research/analyst=research/analyst') }), {
      log: () => undefined,
    });
    await new Promise<void>((resolve) => bridge.server.listen(0, '127.0.0.1', resolve));
    try {
      const openai = new OpenAI({ baseURL: `http://127.0.0.1:${(bridge.server.address() as AddressInfo).port}/v1`, apiKey: TEST_API_KEYS[0], maxRetries: 0 });
      expect((await openai.models.list()).data.map((m) => m.id)).toEqual(['scout', 'research/analyst']);
      const answer = await openai.chat.completions.create({ model: 'research/analyst', messages: [{ role: 'user', content: 'find it' }] });
      expect(upstream.received.map((r) => r.agent)).toEqual(['analyst']);
      expect(upstream.requests.map((r) => r.agent)).toEqual(['analyst']);
      expect(answer.choices[0].message.content).toBe(expectedAnswer('analyst', 'find it', upstream.received[0].contextId));
    } finally {
      bridge.server.closeAllConnections();
      await bridge.shutdown(0);
      await upstream.close();
    }
  });
});

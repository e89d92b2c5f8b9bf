import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bridgeBundle } from '../../src/chat/bridge-bundle';
import { expectedAnswer, startKagentLikeServer, type KagentLikeServer } from '../support/kagent-like-a2a-server';
import { parseAgents } from '../../bridge/config';
import { AUTHORIZATION, AGENTS, TEST_API_KEYS, collectStream, startHarness, type Harness } from '../support/bridge-harness';

/** A free loopback port (nothing listens on it once this resolves). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Opens a streaming chat request and resolves once the first answer text arrived; `rest` is the remaining body. */
function openStream(baseUrl: string, content: string, chatId: string): Promise<{ first: string; rest: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${baseUrl}/v1/chat/completions`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...AUTHORIZATION, 'x-openwebui-chat-id': chatId } },
      (res) => {
        res.setEncoding('utf8');
        let body = '';
        let resolved = false;
        const rest = new Promise<string>((done, fail) => {
          res.on('end', () => done(body));
          res.on('error', fail);
        });
        res.on('data', (chunk: string) => {
          body += chunk;
          if (!resolved && /"content":"[^"]/.test(body)) {
            resolved = true;
            resolve({ first: body, rest });
          }
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'jairix', stream: true, messages: [{ role: 'user', content }] }));
  });
}

/** The answer text inside an SSE body from the bridge. */
function sseText(body: string): string {
  return body
    .split('\n\n')
    .filter((e) => e.startsWith('data: {'))
    .map((e) => JSON.parse(e.slice(6)) as { choices?: Array<{ delta: { content?: string } }> })
    .map((e) => e.choices?.[0]?.delta.content ?? '')
    .join('');
}

describe('logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { protocol: 'negotiate' });
  });
  afterAll(() => h.close());

  it('writes one structured record per request, without message content', async () => {
    h.logs.length = 0;
    await collectStream(
      await h.withChatId('log-1').chat.completions.create({ model: 'jairix', stream: true, messages: [{ role: 'user', content: 'secret question 4711' }] }),
    );
    await h.withChatId('log-2').chat.completions.create({ model: 'azure-devops', messages: [{ role: 'user', content: 'another secret 4712' }] });
    await h.openai.models.list();
    await fetch(`${h.bridgeUrl}/healthz`);
    expect(h.logs).toHaveLength(3);
    expect(h.logs[0]).toMatchObject({ level: 'info', msg: 'request', model: 'jairix', status: 200, stream: true });
    expect(h.logs[1]).toMatchObject({ level: 'info', msg: 'request', model: 'azure-devops', status: 200, stream: false });
    expect(h.logs[2]).toMatchObject({ level: 'info', msg: 'request', path: '/v1/models', status: 200 });
    for (const record of h.logs.slice(0, 2)) {
      expect(typeof record.duration_ms).toBe('number');
      expect(typeof record.ttft_ms).toBe('number');
      expect(record.ttft_ms as number).toBeLessThanOrEqual(record.duration_ms as number);
    }
    const all = JSON.stringify(h.logs);
    expect(all).not.toContain('secret');
    expect(all).not.toContain('answers');
  });

  it('writes one record per upstream error, naming the agent and the reason', async () => {
    h.logs.length = 0;
    await h
      .withChatId('log-3')
      .chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'FAIL secret 4713' }] })
      .catch(() => undefined);
    expect(h.logs).toEqual([
      { level: 'error', msg: 'upstream error', agent: 'kagent/jairix', reason: 'agent_run_failed', status: 502, detail: undefined },
      expect.objectContaining({ level: 'error', msg: 'request', model: 'jairix', status: 502, error: 'agent_run_failed', ttft_ms: expect.any(Number) }),
    ]);
    expect(JSON.stringify(h.logs)).not.toContain('secret');
  });

  it('keeps the detail of a transport error', async () => {
    const dead = await startHarness({ a2aBaseUrl: `http://127.0.0.1:${await freePort()}/api/a2a` });
    try {
      await dead.openai.chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
      expect(dead.logs[0]).toMatchObject({
        msg: 'upstream error',
        agent: 'kagent/jairix',
        reason: 'upstream_error',
        status: 502,
        detail: expect.stringContaining('ECONNREFUSED'),
      });
    } finally {
      await dead.close();
    }
  });
});

describe('GET /metrics', () => {
  it('counts requests by model and status, times them, and counts open streams and upstream errors', async () => {
    const h = await startHarness({}, { protocol: 'v1.0', chunkDelayMs: 30 });
    try {
      await h.withChatId('m1').chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }] });
      await h
        .withChatId('m2')
        .chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'FAIL' }] })
        .catch(() => undefined);
      await h.openai.chat.completions.create({ model: 'gpt-4', messages: [{ role: 'user', content: 'hi' }] }).catch(() => undefined);
      const open = await openStream(h.bridgeUrl, 'a slow one', 'm3');
      const res = await fetch(`${h.bridgeUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      expect(text).toContain('a2a_bridge_requests_total{model="jairix",status="200",caller="service"} 1');
      expect(text).toContain('a2a_bridge_requests_total{model="jairix",status="502",caller="service"} 1');
      expect(text).toContain('a2a_bridge_requests_total{model="gpt-4",status="404",caller="service"} 1');
      expect(text).toContain('a2a_bridge_upstream_errors_total{agent="kagent/jairix",reason="agent_run_failed"} 1');
      expect(text).toContain('a2a_bridge_open_streams 1');
      expect(text).toMatch(/a2a_bridge_request_duration_seconds_count\{model="jairix",stream="false"\} 2/);
      expect(text).toMatch(/a2a_bridge_time_to_first_token_seconds_bucket\{le="0\.005",model="jairix",stream="false"\} \d/);
      expect(text).toMatch(/a2a_bridge_time_to_first_token_seconds_count\{model="jairix",stream="false"\} 2/);
      expect(sseText(await open.rest)).toBe(expectedAnswer('jairix', 'a slow one', 'openwebui-m3'));
      const after = await (await fetch(`${h.bridgeUrl}/metrics`)).text();
      expect(after).toContain('a2a_bridge_open_streams 0');
      expect(after).toContain('a2a_bridge_requests_total{model="jairix",status="200",caller="service"} 2');
    } finally {
      await h.close();
    }
  });
});

describe('a client that goes away mid-stream', () => {
  it('cancels the agent call, logs client_closed, and leaves the bridge ready for the next request', async () => {
    const h = await startHarness({}, { protocol: 'negotiate', chunkDelayMs: 50 });
    try {
      const req = request(`${h.bridgeUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...AUTHORIZATION, 'x-openwebui-chat-id': 'gone' },
      });
      const firstToken = new Promise<void>((resolve, reject) => {
        req.on('response', (res) =>
          res.on('data', (chunk: Buffer) => {
            if (/"content":"[^"]/.test(chunk.toString())) resolve();
          }),
        );
        req.on('error', reject);
      });
      req.end(JSON.stringify({ model: 'jairix', stream: true, messages: [{ role: 'user', content: 'a long answer' }] }));
      await firstToken;
      req.destroy();
      for (let i = 0; i < 200 && !h.logs.some((l) => l.msg === 'request'); i++) await new Promise((r) => setTimeout(r, 10));
      expect(h.logs).toEqual([expect.objectContaining({ msg: 'request', model: 'jairix', status: 200, stream: true, error: 'client_closed' })]);
      expect(await (await fetch(`${h.bridgeUrl}/metrics`)).text()).toContain('a2a_bridge_open_streams 0');
      const after = await collectStream(
        await h.withChatId('after').chat.completions.create({ model: 'jairix', stream: true, messages: [{ role: 'user', content: 'still there?' }] }),
      );
      expect(after.text).toBe(expectedAnswer('jairix', 'still there?', 'openwebui-after'));
    } finally {
      await h.close();
    }
  });
});

describe('GET /readyz and /healthz', () => {
  let port: number;
  let upstream: KagentLikeServer | undefined;
  beforeAll(async () => {
    port = await freePort();
  });
  afterAll(() => upstream?.close());

  it('is not ready while kagent is unreachable, ready once it answers, alive throughout; the check is cached', async () => {
    const cached = await startHarness({ a2aBaseUrl: `http://127.0.0.1:${port}/api/a2a`, readyCacheMs: 60_000 });
    const quick = await startHarness({ a2aBaseUrl: `http://127.0.0.1:${port}/api/a2a`, readyCacheMs: 20 });
    try {
      for (const h of [cached, quick]) {
        const res = await fetch(`${h.bridgeUrl}/readyz`);
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({ status: 'kagent A2A endpoint unreachable', detail: expect.stringContaining('ECONNREFUSED') });
        expect((await fetch(`${h.bridgeUrl}/healthz`)).status).toBe(200);
      }
      upstream = await startKagentLikeServer(AGENTS, { port, protocol: 'negotiate' });
      let status = 0;
      for (let i = 0; i < 200 && status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 25));
        status = (await fetch(`${quick.bridgeUrl}/readyz`)).status;
      }
      expect(status).toBe(200);
      // The long cache still holds the failed check: probes cost kagent one request per READY_CACHE_MS.
      expect((await fetch(`${cached.bridgeUrl}/readyz`)).status).toBe(503);
      const probes = upstream.cardRequests.length;
      await Promise.all(Array.from({ length: 5 }, () => fetch(`${cached.bridgeUrl}/readyz`)));
      expect(upstream.cardRequests.length).toBe(probes);
    } finally {
      await cached.close();
      await quick.close();
    }
  });
});

describe('GET /readyz with an agent kagent does not have', () => {
  it('is not ready, and names the agent whose card is missing (404 at every card path)', async () => {
    const h = await startHarness({ agents: parseAgents('kagent/jairix,kagent/ghost') }, { protocol: 'negotiate' });
    try {
      const res = await fetch(`${h.bridgeUrl}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'agent card missing',
        detail: `agent kagent/ghost has no agent card (HTTP 404 at ${h.upstream.a2aBaseUrl}/kagent/ghost/{.well-known/agent-card.json,.well-known/agent.json}): is it deployed, and named so in AGENTS?`,
      });
    } finally {
      await h.close();
    }
  });

  it("is ready when every card is found, also at kagent 0.7's card path", async () => {
    const h = await startHarness({}, { protocol: 'v0.3' });
    try {
      const res = await fetch(`${h.bridgeUrl}/readyz`);
      expect(await res.json()).toEqual({ status: 'ready', detail: 'the agent cards of kagent/jairix, kagent/azure-devops answered' });
      expect(res.status).toBe(200);
    } finally {
      await h.close();
    }
  });
});

describe('bad settings (the bundle as a child process)', () => {
  it('exits 1 with one line per bad setting on stderr, and no stack trace', () => {
    const bundle = join(mkdtempSync(join(tmpdir(), 'bridge-settings-')), 'bridge.cjs');
    writeFileSync(bundle, bridgeBundle());
    const run = spawnSync(process.execPath, [bundle], {
      env: { PATH: process.env.PATH, A2A_BASE_URL: 'kagent:8083', PORT: 'eighty' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.stderr.split('\n')).toEqual([
      'a2a-bridge: A2A_BASE_URL "kagent:8083" is not an http(s) URL; set it to kagent\'s A2A base, e.g. "http://kagent-controller.kagent:8083/api/a2a"',
      'a2a-bridge: AGENTS is not set; set it to the agents to expose, e.g. "kagent/jairix,kagent/azure-devops"',
      'a2a-bridge: BRIDGE_API_KEYS is not set; set it to the bearer keys clients must send, separated by commas or newlines (generate one with `openssl rand -hex 32`)',
      'a2a-bridge: PORT must be a whole number ≥ 1, got "eighty"',
      '',
    ]);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(1);
  });
});

describe('graceful shutdown (the bundle as a child process)', () => {
  let upstream: KagentLikeServer;
  let bundle: string;
  beforeAll(async () => {
    upstream = await startKagentLikeServer(AGENTS, { protocol: 'negotiate', chunkDelayMs: 40 });
    bundle = join(mkdtempSync(join(tmpdir(), 'bridge-shutdown-')), 'bridge.cjs');
    writeFileSync(bundle, bridgeBundle());
  });
  afterAll(() => upstream.close());

  async function startChild(
    env: Record<string, string>,
  ): Promise<{ child: ChildProcess; url: string; lines: Array<Record<string, unknown>>; next: (msg: string) => Promise<Record<string, unknown>> }> {
    const port = await freePort();
    const child = spawn(process.execPath, [bundle], {
      env: {
        PATH: process.env.PATH,
        A2A_BASE_URL: upstream.a2aBaseUrl,
        AGENTS: AGENTS.join(','),
        PORT: String(port),
        BRIDGE_API_KEYS: TEST_API_KEYS.join(','),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: Array<Record<string, unknown>> = [];
    const waiters: Array<{ msg: string; resolve: (r: Record<string, unknown>) => void }> = [];
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const record = JSON.parse(line) as Record<string, unknown>; // every stdout line is one JSON object
      lines.push(record);
      for (const w of waiters.filter((x) => x.msg === record.msg)) w.resolve(record);
    });
    const next = (msg: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const seen = lines.find((l) => l.msg === msg);
        if (seen) resolve(seen);
        else waiters.push({ msg, resolve });
      });
    await next('listening');
    return { child, url: `http://127.0.0.1:${port}`, lines, next };
  }

  it('on SIGTERM refuses new connections, lets the open stream finish, and exits 0', async () => {
    const { child, url, lines, next } = await startChild({});
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stream = await openStream(url, 'finish me please', 'sigterm');
    child.kill('SIGTERM');
    expect(await next('shutting down')).toMatchObject({ signal: 'SIGTERM', grace_ms: 25_000 });
    // The listener's file descriptor is closed by the event loop right after the log line: retry briefly.
    const tryConnect = () =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(new URL(url).port), '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(String(error.code)));
      });
    let refused = await tryConnect();
    for (let i = 0; i < 50 && refused !== 'ECONNREFUSED'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      refused = await tryConnect();
    }
    let streamDone = false;
    void stream.rest.then(() => (streamDone = true));
    await Promise.resolve();
    expect(streamDone).toBe(false); // refused while the stream was still open
    expect(refused).toBe('ECONNREFUSED');
    const body = await stream.rest;
    expect(sseText(body)).toBe(expectedAnswer('jairix', 'finish me please', 'openwebui-sigterm'));
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(await exited).toBe(0);
    expect(lines.map((l) => l.msg)).toEqual(['listening', 'shutting down', 'request', 'stopped']);
    expect(lines[2]).toMatchObject({ model: 'jairix', status: 200, stream: true });
    // The process's own log says how many keys it accepts, and never which.
    expect(lines[0]).toMatchObject({ api_keys: 2, user_id_from: 'email', service_user_id: 'open-webui-service' });
    for (const key of TEST_API_KEYS) expect(JSON.stringify(lines)).not.toContain(key);
  });

  it('cuts streams still open after SHUTDOWN_GRACE_MS and still exits 0', async () => {
    const { child, url, next } = await startChild({ SHUTDOWN_GRACE_MS: '300' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const stalled = new Promise<string>((resolve) => {
      const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTHORIZATION } }, (res) =>
        res
          .resume()
          .on('end', () => resolve('ended'))
          .on('error', () => resolve('cut')),
      );
      req.on('error', () => resolve('cut'));
      req.end(JSON.stringify({ model: 'jairix', stream: true, messages: [{ role: 'user', content: 'STALL forever' }] }));
    });
    // The request has reached the upstream before the signal.
    for (let i = 0; i < 200 && !upstream.received.some((r) => r.text === 'STALL forever'); i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGTERM');
    expect(await next('shutting down')).toMatchObject({ grace_ms: 300 });
    expect(await exited).toBe(0);
    expect(await stalled).toBe('cut');
  });
});

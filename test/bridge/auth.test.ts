/**
 * The bridge refuses every request without one of its bearer keys (BRIDGE_API_KEYS), with OpenAI's 401 shape, and
 * never writes a key into a log line or an error body; the probes stay open.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeys, parseApiKeys } from '../../bridge/api-keys';
import { configFromEnv } from '../../bridge/config';
import { expectedAnswer } from '../support/kagent-like-a2a-server';
import { TEST_API_KEYS, startHarness, type Harness } from '../support/bridge-harness';

const [CURRENT, ROTATED] = TEST_API_KEYS;
/** A well-formed key the bridge does not accept. */
const WRONG = 'wrong-bridge-key-31415926535';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { protocol: 'negotiate' });
});
afterAll(() => h.close());

const hello = (client: OpenAI, content = 'hello') => client.chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content }] });

/** A raw chat request, to see exactly what a client without the OpenAI SDK gets. */
async function rawChat(headers: Record<string, string>): Promise<{ status: number; authenticate: string | null; body: unknown }> {
  const res = await fetch(`${h.bridgeUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }] }),
  });
  return { status: res.status, authenticate: res.headers.get('www-authenticate'), body: await res.json() };
}

describe('a request without a valid bearer key', () => {
  it("without a key: 401 in OpenAI's shape, for chats and the model list alike, and the agent is never called", async () => {
    const before = h.upstream.received.length;
    expect(await rawChat({})).toEqual({
      status: 401,
      authenticate: 'Bearer realm="a2a-bridge"',
      body: {
        error: {
          message: "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    });
    expect((await rawChat({ authorization: `Basic ${Buffer.from(`user:${CURRENT}`).toString('base64')}` })).status).toBe(401);
    expect((await fetch(`${h.bridgeUrl}/v1/models`)).status).toBe(401);
    expect(h.upstream.received.length).toBe(before);
  });

  it('with a wrong key: the official client raises AuthenticationError (401, invalid_api_key), and the body does not quote the key', async () => {
    const error = await hello(h.withHeaders({}, WRONG)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    const auth = error as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(auth.status).toBe(401);
    expect(auth.error).toEqual({ message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' });
    expect(JSON.stringify(auth.error)).not.toContain(WRONG);
  });

  it('with a key that only begins or ends like an accepted one: still 401', async () => {
    for (const near of [CURRENT.slice(0, -1), `${CURRENT}x`, CURRENT.toUpperCase(), `${CURRENT},${ROTATED}`]) {
      expect((await rawChat({ authorization: `Bearer ${near}` })).status, near).toBe(401);
    }
  });
});

describe('a request with an accepted key', () => {
  it('gets the answer through the official client, with the current key and with the rotated second key', async () => {
    for (const key of [CURRENT, ROTATED]) {
      const completion = await h
        .withHeaders({ 'X-OpenWebUI-Chat-Id': `auth-${key.slice(-6)}` }, key)
        .chat.completions.create({ model: 'azure-devops', messages: [{ role: 'user', content: 'hello' }] });
      expect(completion.choices[0].message.content).toBe(expectedAnswer('azure-devops', 'hello', `openwebui-auth-${key.slice(-6)}`));
    }
    expect((await h.withHeaders({}, ROTATED).models.list()).data.map((m) => m.id)).toEqual(['jairix', 'azure-devops']);
  });
});

describe('the probes', () => {
  it('/healthz, /readyz and /metrics answer without a key', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) expect((await fetch(`${h.bridgeUrl}${path}`)).status, path).toBe(200);
  });
});

describe('what a refusal leaves behind', () => {
  it('one warn record and one counted refusal per 401, naming the reason; no key in any log line', async () => {
    h.logs.length = 0;
    await rawChat({});
    await hello(h.withHeaders({}, WRONG)).catch(() => undefined);
    await hello(h.openai, 'a secret 4714');
    expect(h.logs.slice(0, 2)).toEqual([
      { level: 'warn', msg: 'unauthorized', method: 'POST', path: '/v1/chat/completions', status: 401, reason: 'missing_key' },
      { level: 'warn', msg: 'unauthorized', method: 'POST', path: '/v1/chat/completions', status: 401, reason: 'invalid_key' },
    ]);
    expect(h.logs[2]).toMatchObject({ msg: 'request', status: 200 });
    const logged = JSON.stringify(h.logs);
    for (const key of [CURRENT, ROTATED, WRONG]) expect(logged).not.toContain(key);
    expect(logged).not.toContain('secret');
    const metrics = await (await fetch(`${h.bridgeUrl}/metrics`)).text();
    expect(metrics).toMatch(/a2a_bridge_unauthorized_requests_total\{reason="missing_key"\} [1-9]/);
    expect(metrics).toMatch(/a2a_bridge_unauthorized_requests_total\{reason="invalid_key"\} [1-9]/);
    for (const key of [CURRENT, ROTATED, WRONG]) expect(metrics).not.toContain(key);
  });
});

describe('BRIDGE_API_KEYS', () => {
  const env = (keys: string | undefined) => ({ A2A_BASE_URL: 'http://x', AGENTS: 'a/x', BRIDGE_API_KEYS: keys });

  it('takes keys separated by commas or newlines, as a Secret written from a file holds them', () => {
    expect(configFromEnv(env(`${CURRENT}, ${ROTATED}`)).apiKeys).toEqual([CURRENT, ROTATED]);
    expect(configFromEnv(env(`${CURRENT}\r\n${ROTATED}\n`)).apiKeys).toEqual([CURRENT, ROTATED]);
  });

  it('refuses no key, a short key and one a header cannot carry, naming the key by position and never by value', () => {
    const short = 'tiny-key-4715';
    const spaced = 'a key with spaces 4716 padding';
    expect(() => parseApiKeys(undefined)).toThrow('BRIDGE_API_KEYS is not set');
    expect(() => parseApiKeys(' ,\n')).toThrow('BRIDGE_API_KEYS is not set');
    for (const [value, message] of [
      [`${CURRENT},${short}`, 'BRIDGE_API_KEYS key 2 of 2 is shorter than 16 characters'],
      [spaced, 'BRIDGE_API_KEYS key 1 of 1 has characters a bearer key cannot carry'],
    ]) {
      const error = (() => {
        try {
          configFromEnv(env(value));
        } catch (e) {
          return e as Error;
        }
        throw new Error('accepted');
      })();
      expect(error.message).toContain(message);
      expect(error.message).not.toContain(short);
      expect(error.message).not.toContain('4716');
    }
  });

  it('compares the whole key: every accepted one matches, nothing else does', () => {
    const keys = new ApiKeys([CURRENT, ROTATED]);
    expect(keys.check(`Bearer ${CURRENT}`)).toBeUndefined();
    expect(keys.check(`bearer  ${ROTATED}`)).toBeUndefined();
    expect(keys.check(undefined)).toBe('missing_key');
    expect(keys.check('Bearer ')).toBe('missing_key');
    expect(keys.check(`Token ${CURRENT}`)).toBe('missing_key');
    expect(keys.check(`Bearer ${CURRENT.slice(1)}`)).toBe('invalid_key');
    expect(keys.check(`Bearer ${CURRENT} ${ROTATED}`)).toBe('missing_key');
  });
});

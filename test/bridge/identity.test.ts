/**
 * The signed-in Open WebUI user (ENABLE_FORWARD_USER_INFO_HEADERS) reaches kagent as `x-user-id`, so kagent keeps
 * each user's sessions apart; without a forwarded user the request runs as the service identity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerIdentity } from '../../bridge/user-identity';
import { configFromEnv } from '../../bridge/config';
import { recallAnswer, type KagentProtocol } from '../support/kagent-like-a2a-server';
import { startHarness, type Harness } from '../support/bridge-harness';

const PROTOCOLS: readonly KagentProtocol[] = ['v0.3', 'negotiate', 'v1.0'];

/** Open WebUI's forwarded-user headers for one signed-in user. */
const signedIn = (email: string, id: string, chatId: string) => ({
  'X-OpenWebUI-User-Email': email,
  'X-OpenWebUI-User-Id': id,
  'X-OpenWebUI-User-Name': email.split('@')[0],
  'X-OpenWebUI-User-Role': 'user',
  'X-OpenWebUI-Chat-Id': chatId,
});
const ALICE = signedIn('alice@lab.example', 'a1b2c3d4-0000-4000-8000-00000000000a', 'same-chat');
const BOB = signedIn('bob@lab.example', 'b1b2c3d4-0000-4000-8000-00000000000b', 'same-chat');

describe.each(PROTOCOLS)('against a %s kagent-like server', (protocol) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { protocol });
  });
  afterAll(() => h.close());

  const say = async (headers: Record<string, string>, content: string) => {
    const completion = await h.withHeaders(headers).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content }] });
    return completion.choices[0].message.content;
  };

  it("two users in the same context get separate sessions upstream: different x-user-id, neither sees the other's messages", async () => {
    const before = h.upstream.received.length;
    await say(ALICE, 'my plan is 4717');
    expect(await say(BOB, 'RECALL')).toBe(recallAnswer([]));
    expect(await say(ALICE, 'RECALL')).toBe(recallAnswer(['my plan is 4717']));
    const seen = h.upstream.received.slice(before);
    expect(seen.map((r) => [r.userId, r.contextId])).toEqual([
      ['alice@lab.example', 'openwebui-same-chat'],
      ['bob@lab.example', 'openwebui-same-chat'],
      ['alice@lab.example', 'openwebui-same-chat'],
    ]);
  });

  it('a request that forwards no user runs as the service identity, never as a user who came before', async () => {
    await say(ALICE, 'alice was here 4718');
    const before = h.upstream.received.length;
    expect(await say({ 'X-OpenWebUI-Chat-Id': 'same-chat' }, 'RECALL')).toBe(recallAnswer([]));
    expect(await say({ 'X-OpenWebUI-Chat-Id': 'same-chat', 'X-OpenWebUI-User-Email': '  ' }, 'hello')).toContain('Done.');
    expect(h.upstream.received.slice(before).map((r) => r.userId)).toEqual(['open-webui-service', 'open-webui-service']);
  });
});

describe('userIdFrom: id', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ userIdFrom: 'id', serviceUserId: 'chat-service' }, { protocol: 'negotiate' });
  });
  afterAll(() => h.close());

  it('sends the Open WebUI user id, and the configured service id when only an e-mail is forwarded (no mixing of fields)', async () => {
    const before = h.upstream.received.length;
    await h.withHeaders(ALICE).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }] });
    await h
      .withHeaders({ 'X-OpenWebUI-User-Email': 'bob@lab.example' })
      .chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hi' }] });
    expect(h.upstream.received.slice(before).map((r) => r.userId)).toEqual([ALICE['X-OpenWebUI-User-Id'], 'chat-service']);
  });
});

describe('the log line and the metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { protocol: 'negotiate' });
  });
  afterAll(() => h.close());

  it('log the user id with each request; metrics carry only a bounded caller label (user or service), no user id, no content', async () => {
    h.logs.length = 0;
    await h.withHeaders(ALICE).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'confidential 4719' }] });
    await h.withHeaders({}).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'confidential 4720' }] });
    await h.withHeaders(BOB).models.list();
    expect(h.logs).toEqual([
      expect.objectContaining({ msg: 'request', model: 'jairix', status: 200, user: 'alice@lab.example', caller: 'user' }),
      expect.objectContaining({ msg: 'request', model: 'jairix', status: 200, user: 'open-webui-service', caller: 'service' }),
      expect.objectContaining({ msg: 'request', path: '/v1/models', status: 200, user: 'bob@lab.example' }),
    ]);
    expect(JSON.stringify(h.logs)).not.toContain('confidential');
    const metrics = await (await fetch(`${h.bridgeUrl}/metrics`)).text();
    expect(metrics).toContain('a2a_bridge_requests_total{model="jairix",status="200",caller="user"} 1');
    expect(metrics).toContain('a2a_bridge_requests_total{model="jairix",status="200",caller="service"} 1');
    expect(metrics).not.toContain('lab.example');
    expect(metrics).not.toContain(ALICE['X-OpenWebUI-User-Id']);
  });
});

describe('settings', () => {
  const env = { A2A_BASE_URL: 'http://x', AGENTS: 'a/x', BRIDGE_API_KEYS: 'a-long-enough-key-4721' };

  it('USER_ID_FROM defaults to email, SERVICE_USER_ID to open-webui-service', () => {
    expect(configFromEnv(env)).toMatchObject({ userIdFrom: 'email', serviceUserId: 'open-webui-service' });
    expect(configFromEnv({ ...env, USER_ID_FROM: 'id', SERVICE_USER_ID: 'svc.chat_1' })).toMatchObject({ userIdFrom: 'id', serviceUserId: 'svc.chat_1' });
  });

  it.each([
    [{ USER_ID_FROM: 'name' }, 'USER_ID_FROM must be one of email, id, got "name"'],
    [
      { SERVICE_USER_ID: 'svc@lab.example' },
      'SERVICE_USER_ID must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit (no "@": it must never be a user\'s e-mail)',
    ],
    [{ SERVICE_USER_ID: 'two words' }, 'SERVICE_USER_ID must be 1–63 letters'],
  ])('rejects %o', (bad, message) => {
    expect(() => configFromEnv({ ...env, ...bad })).toThrow(message);
  });

  it('reads the configured field only, trimmed', () => {
    expect(callerIdentity({ 'x-openwebui-user-email': ' carol@lab.example ' }, 'email', 'svc')).toEqual({ userId: 'carol@lab.example', kind: 'user' });
    expect(callerIdentity({ 'x-openwebui-user-id': 'u-1' }, 'email', 'svc')).toEqual({ userId: 'svc', kind: 'service' });
  });
});

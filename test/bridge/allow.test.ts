/**
 * Per-agent allow-lists (`AGENT_ALLOW`): a caller outside an agent's list gets HTTP 403 in OpenAI's shape and does
 * not see the agent in `/v1/models`; an agent without a list is open to everyone.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowed, parseAgentAllow } from '../../bridge/access';
import { BridgeConfigError, configFromEnv, parseAgents } from '../../bridge/config';
import { expectedAnswer } from '../support/kagent-like-a2a-server';
import { AGENTS, AUTHORIZATION, collectStream, startHarness, type Harness } from '../support/bridge-harness';

const ALICE_ID = 'a1b2c3d4-0000-4000-8000-00000000000a';
/** Open WebUI's forwarded-user headers. */
const signedIn = (email: string, id: string, role: string, chatId = 'allow-chat') => ({
  'X-OpenWebUI-User-Email': email,
  'X-OpenWebUI-User-Id': id,
  'X-OpenWebUI-User-Role': role,
  'X-OpenWebUI-Chat-Id': chatId,
});
const ALICE = signedIn('alice@lab.example', ALICE_ID, 'user');
const BOB = signedIn('bob@lab.example', 'b1b2c3d4-0000-4000-8000-00000000000b', 'user');
const CAROL_ADMIN = signedIn('carol@lab.example', 'c1b2c3d4-0000-4000-8000-00000000000c', 'admin');
const NOT_ALLOWED = "You are not allowed to use the model 'jairix': it is limited to some users or roles. Ask an administrator to add you to its allow-list.";

describe('jairix allowed for alice and admins; azure-devops open to everyone', () => {
  let h: Harness;
  beforeAll(async () => {
    const agents = parseAgents(AGENTS.join(',')).map((a) =>
      a.id === 'jairix' ? { ...a, allow: { users: ['Alice@Lab.example'], roles: ['admin' as const] } } : a,
    );
    h = await startHarness({ agents });
  });
  afterAll(() => h.close());

  const models = async (headers: Record<string, string>) => (await h.withHeaders(headers).models.list()).data.map((m) => m.id);
  const ask = async (headers: Record<string, string>, model: string, content: string, stream = false) => {
    if (stream)
      return (await collectStream(await h.withHeaders(headers).chat.completions.create({ model, messages: [{ role: 'user', content }], stream: true }))).text;
    return (await h.withHeaders(headers).chat.completions.create({ model, messages: [{ role: 'user', content }] })).choices[0].message.content;
  };
  const refusal = async (call: Promise<unknown>) => {
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const denied = error as InstanceType<typeof OpenAI.PermissionDeniedError>;
    return { status: denied.status, error: denied.error };
  };

  it('lists the agent only to callers on its list', async () => {
    expect(await models(ALICE)).toEqual(['jairix', 'azure-devops']);
    expect(await models(CAROL_ADMIN)).toEqual(['jairix', 'azure-devops']);
    expect(await models(BOB)).toEqual(['azure-devops']);
    expect(await models({})).toEqual(['azure-devops']);
  });

  it('answers a listed user (e-mail in any case, or the id) and a listed role', async () => {
    expect(await ask(ALICE, 'jairix', 'hello')).toBe(expectedAnswer('jairix', 'hello', 'openwebui-allow-chat'));
    expect(await ask({ 'X-OpenWebUI-User-Email': 'ALICE@lab.example', 'X-OpenWebUI-Chat-Id': 'c2' }, 'jairix', 'hi', true)).toBe(
      expectedAnswer('jairix', 'hi', 'openwebui-c2'),
    );
    expect(await ask(CAROL_ADMIN, 'jairix', 'as admin')).toBe(expectedAnswer('jairix', 'as admin', 'openwebui-allow-chat'));
  });

  it("refuses a caller outside the list with 403 in OpenAI's shape, streamed or not, and never calls the agent", async () => {
    const before = h.upstream.received.length;
    const body = { status: 403, error: { message: NOT_ALLOWED, type: 'permission_error', param: null, code: 'model_not_allowed' } };
    expect(await refusal(h.withHeaders(BOB).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hello' }] }))).toEqual(body);
    expect(
      await refusal(h.withHeaders(BOB).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'hello' }], stream: true })),
    ).toEqual(body);
    // Only a role that is not on the list; no forwarded user at all.
    expect(
      (
        await refusal(
          h.withHeaders({ 'X-OpenWebUI-User-Role': 'user' }).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'x' }] }),
        )
      ).status,
    ).toBe(403);
    expect((await refusal(h.openai.chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'x' }] }))).status).toBe(403);
    expect(h.upstream.received.slice(before)).toEqual([]);
    expect(await ask(BOB, 'azure-devops', 'open to all')).toBe(expectedAnswer('azure-devops', 'open to all', 'openwebui-allow-chat'));
  });

  it('logs the refusal as a 403 request, and names only the models the caller may use when one is unknown', async () => {
    const before = h.logs.length;
    await refusal(h.withHeaders(BOB).chat.completions.create({ model: 'jairix', messages: [{ role: 'user', content: 'secret words 5d1e' }] }));
    expect(h.logs.slice(before)).toEqual([
      expect.objectContaining({ msg: 'request', status: 403, model: 'jairix', error: 'not_allowed', user: 'bob@lab.example' }),
    ]);
    expect(JSON.stringify(h.logs.slice(before))).not.toContain('5d1e');
    const res = await fetch(`${h.bridgeUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...AUTHORIZATION, ...BOB, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'nobody', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe("The model 'nobody' does not exist; available: azure-devops");
  });
});

describe('AGENT_ALLOW', () => {
  const env = { A2A_BASE_URL: 'http://kagent:8083/api/a2a', AGENTS: 'kagent/jairix,kagent/azure-devops', BRIDGE_API_KEYS: 'test-bridge-key-current-4f1c9a' };

  it('attaches each entry to its agent, trimmed, and leaves the others open', () => {
    const config = configFromEnv({ ...env, AGENT_ALLOW: '{"jairix":{"users":[" alice@lab.example "],"roles":["admin"]},"azure-devops":{"roles":["user"]}}' });
    expect(config.agents).toEqual([
      { id: 'jairix', namespace: 'kagent', name: 'jairix', allow: { users: ['alice@lab.example'], roles: ['admin'] } },
      { id: 'azure-devops', namespace: 'kagent', name: 'azure-devops', allow: { roles: ['user'] } },
    ]);
    expect(configFromEnv(env).agents.map((a) => a.allow)).toEqual([undefined, undefined]);
    expect(configFromEnv({ ...env, AGENT_ALLOW: ' ' }).agents.map((a) => a.allow)).toEqual([undefined, undefined]);
  });

  it.each([
    ['not JSON', '{jairix', /^AGENT_ALLOW is not JSON \(/],
    ['a list', '[]', /^AGENT_ALLOW must be a JSON object keyed by model id/],
    ['an unknown model', '{"nobody":{"roles":["admin"]}}', /^AGENT_ALLOW names the model "nobody", which AGENTS does not expose \(jairix, azure-devops\)$/],
    ['an unknown role', '{"jairix":{"roles":["owner"]}}', /^AGENT_ALLOW: "jairix".roles has "owner"; Open WebUI roles are admin, user$/],
    ['an empty entry', '{"jairix":{}}', /^AGENT_ALLOW: "jairix" names no users and no roles, which would lock everyone out; remove it to allow everyone$/],
    ['empty lists', '{"jairix":{"users":[],"roles":[]}}', /^AGENT_ALLOW: "jairix" names no users and no roles/],
    ['a blank user', '{"jairix":{"users":[""]}}', /^AGENT_ALLOW: "jairix".users must be a list of non-empty strings/],
    ['a misspelt key', '{"jairix":{"user":["a"]}}', /^AGENT_ALLOW: "jairix" has unknown keys user; only "users" and "roles" are read$/],
  ])('rejects %s with one line naming the problem', (_name, value, message) => {
    const error = (() => {
      try {
        configFromEnv({ ...env, AGENT_ALLOW: value });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BridgeConfigError);
    expect((error as BridgeConfigError).problems).toHaveLength(1);
    expect((error as BridgeConfigError).problems[0]).toMatch(message);
  });

  it('matches ids, e-mails in any case, and roles; an allow-list without a match refuses', () => {
    const allow = parseAgentAllow('{"jairix":{"users":["Alice@Lab.example","u-42"],"roles":["admin"]}}', ['jairix']).get('jairix');
    expect(isAllowed(allow, { email: 'alice@lab.example' })).toBe(true);
    expect(isAllowed(allow, { id: 'u-42', email: 'other@lab.example' })).toBe(true);
    expect(isAllowed(allow, { role: 'Admin' })).toBe(true);
    expect(isAllowed(allow, { id: 'u-43', email: 'bob@lab.example', role: 'user' })).toBe(false);
    expect(isAllowed(allow, {})).toBe(false);
    expect(isAllowed(undefined, {})).toBe(true);
  });
});

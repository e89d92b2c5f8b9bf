/**
 * The kagent MCP tool server on the real Open WebUI (PyPI, the pinned image's version): the connection the
 * library renders for `openWebUi.kagentMcp` (the StatefulSet's `TOOL_SERVER_CONNECTIONS`, the same as the sync
 * Job's `tool_servers.json`), its `url` pointed at a stand-in for kagent's controller `/mcp`, is written into Open
 * WebUI by the synthesized `register_tool_servers.py` (the admin API, as the sync Job does; `startOpenWebUi` takes
 * no extra environment). Two ordinary users each chat with `tool_ids: ['server:mcp:kagent-agents']` in a saved
 * chat; Open WebUI connects to the MCP server for the request, lists its tools and calls `invoke_agent`. Every
 * HTTP request the stand-in got during one user's chat must carry `x-user-id` with that user's e-mail (the
 * default) — or, with a connection rendered from `identity.userIdFrom: 'id'`, the user's Open WebUI id.
 *
 * Real: Open WebUI (config API, chat pipeline, `connect_mcp_server`, `build_tool_server_headers`,
 * `parse_custom_headers`, its MCP client, native tool calling), the MCP protocol (Python `mcp` SDK server).
 * Stand-ins, each named so in its file: kagent's controller `/mcp` and the LLM. Every process listens on
 * 127.0.0.1 only, has a deadline, and is stopped at the end, pass or fail.
 *
 * Skipped with one line when Python/pip is missing; with CI=true a missing prerequisite fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentPlatform, VERSIONS, type PlatformConfigInput } from '../src';
import type { ToolServerConnection } from '../src/chat/kagent-mcp-tool-server';
import { renderTree, type RenderedFile } from '../src/synth/render-tree';
import { ensureKagentAdk, pythonProblem, type KagentAdk } from './support/kagent-adk';
import { ANSWER_PREFIX, INVOKE_ARGS, STAND_IN_MODEL, startMcpLlmStandIn, type McpLlmStandIn } from './support/kagent-mcp-llm-stand-in';
import { ensureOpenWebUi, startOpenWebUi, type RunningOpenWebUi } from './support/open-webui';
import { freePort, listeningAddresses, startBounded, waitForHttp, type BoundedProcess } from './support/processes';
import { E2E_OUT, step, stepLine } from './support/steps';

/** The PyPI release of the pinned image (`ghcr.io/open-webui/open-webui:v0.11.0` → 0.11.0). */
const OPEN_WEBUI_VERSION = VERSIONS.images.openWebUi.split(':v')[1];
const ADMIN = { email: 'admin@lab.example', password: 'admin-pass-e2e-1' };
const ALICE = { name: 'Alice', email: 'alice@lab.example', password: 'alice-pass-e2e-1' };
const BOB = { name: 'Bob', email: 'bob@lab.example', password: 'bob-pass-e2e-1' };
const LLM_KEY = 'stand-in-llm-key';
const ADMIN_KEY_SECRET = { name: 'open-webui-admin', key: 'api-key' };
const SERVER_ID = 'kagent-agents';
const TOOL_ID = `server:mcp:${SERVER_ID}`;
/** Every process is killed after this, whatever happens. */
const PROCESS_DEADLINE_MS = 10 * 60_000;
const CHAT_TIMEOUT_MS = 120_000;

const problem = pythonProblem();
const inCi = process.env.CI === 'true';
if (problem && !inCi) stepLine(`open-webui kagent mcp: SKIPPED, ${problem}`);

type User = typeof ALICE;
interface McpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: [string, string][];
  readonly rpc: (string | null)[];
  readonly status?: number;
  readonly issuedSession?: string;
}
interface RoundTrip {
  readonly requests: McpRequest[];
  readonly userIds: (string | undefined)[];
  readonly toolResult?: string;
  /** The assistant message Open WebUI saved in the chat. */
  readonly answer?: string;
}

/** The platform with `openWebUi.kagentMcp` (kept in step by the sync Job) and the given identity. */
function synthesize(userIdFrom?: 'email' | 'id'): RenderedFile[] {
  const app = Testing.app();
  const config: PlatformConfigInput = {
    gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
    ollama: {},
    models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
    agents: [{ name: 'helpdesk', description: 'Answers questions', model: 'small', prompt: { inline: 'You help.' } }],
    openWebUi: {
      secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
      kagentMcp: { sync: { adminApiKeySecret: ADMIN_KEY_SECRET } },
      ...(userIdFrom ? { identity: { userIdFrom } } : {}),
    },
  };
  new AgentPlatform(app, 'platform', config, { bridgeBundle: '// stand-in' });
  return renderTree(app);
}

function one(files: readonly RenderedFile[], kind: string, name: string): any {
  const found = files.flatMap((f) => f.objects).filter((o: any) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

/** The rendered connection: the StatefulSet's TOOL_SERVER_CONNECTIONS (checked equal to the sync Job's file), and the Job's script. */
function rendered(userIdFrom?: 'email' | 'id'): { connection: ToolServerConnection; script: string } {
  const files = synthesize(userIdFrom);
  const env = one(files, 'StatefulSet', 'open-webui').spec.template.spec.containers[0].env as { name: string; value?: string }[];
  const seeded = JSON.parse(env.find((e) => e.name === 'TOOL_SERVER_CONNECTIONS')!.value!) as ToolServerConnection[];
  const data = one(files, 'ConfigMap', 'sync-open-webui-tool-servers').data as Record<string, string>;
  expect(JSON.parse(data['tool_servers.json'])).toEqual(seeded);
  expect(seeded.length).toBe(1);
  expect(seeded[0].info.id).toBe(SERVER_ID);
  return { connection: seeded[0], script: data['register_tool_servers.py'] };
}

const header = (request: McpRequest, name: string): string | undefined => request.headers.find(([k]) => k.toLowerCase() === name)?.[1];

describe.skipIf(problem !== undefined && !inCi)(`the kagent MCP tool server's x-user-id on the real Open WebUI ${OPEN_WEBUI_VERSION}`, () => {
  let adk: KagentAdk;
  let llm: McpLlmStandIn | undefined;
  let ui: RunningOpenWebUi | undefined;
  let uiWatchdog: NodeJS.Timeout | undefined;
  let mcpBase: string;
  let workDir: string;
  let adminKey: string;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();
  const processes: BoundedProcess[] = [];
  let failed = false;

  const mcpRequests = async (): Promise<McpRequest[]> => (await fetch(`${mcpBase}/requests`)).json() as Promise<McpRequest[]>;

  const api = async (token: string, method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${ui!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 500)}`);
    return JSON.parse(text);
  };
  const signIn = async (user: { email: string; password: string }): Promise<string> => {
    const response = await fetch(`${ui!.url}/api/v1/auths/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`sign-in of ${user.email}: HTTP ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };

  /** Writes the connection (its url the stand-in's) into Open WebUI with the synthesized register_tool_servers.py. */
  async function register(userIdFrom?: 'email' | 'id'): Promise<ToolServerConnection> {
    const { connection, script } = rendered(userIdFrom);
    const local = { ...connection, url: `${mcpBase}/mcp` };
    const dir = join(workDir, `register-${userIdFrom ?? 'default'}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'register_tool_servers.py'), script);
    writeFileSync(join(dir, 'tool_servers.json'), JSON.stringify([local]));
    const result = spawnSync('python3', [join(dir, 'register_tool_servers.py')], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', OPENWEBUI_URL: ui!.url, OPENWEBUI_API_KEY: adminKey, TOOL_SERVERS_FILE: join(dir, 'tool_servers.json') },
    });
    if (result.status !== 0) throw new Error(`register_tool_servers.py failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toBe(`tool servers ${SERVER_ID} updated\n`);
    const stored = (await api(adminKey, 'GET', '/api/v1/configs/tool_servers')).TOOL_SERVER_CONNECTIONS as ToolServerConnection[];
    expect(stored).toEqual([expect.objectContaining({ url: local.url, headers: connection.headers, info: connection.info, config: connection.config })]);
    return connection;
  }

  /**
   * One chat turn of `user` as the UI sends it (a saved chat, the assistant message's id, the tool server selected),
   * and the MCP requests it caused: from the request until the LLM got the tool's result and the stand-in saw
   * nothing new for a moment.
   */
  async function chatWithTools(user: User): Promise<RoundTrip> {
    const token = tokens.get(user.email)!;
    const chatId = (
      await api(token, 'POST', '/api/v1/chats/new', {
        chat: { title: `kagent mcp ${user.name}`, models: [STAND_IN_MODEL], messages: [], history: { messages: {}, currentId: null } },
      })
    ).id as string;
    const assistantId = `assistant-${user.name.toLowerCase()}-${Date.now()}`;
    const from = (await mcpRequests()).length;
    const llmFrom = llm!.requests.length;
    const response = await fetch(`${ui!.url}/api/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({
        model: STAND_IN_MODEL,
        chat_id: chatId,
        id: assistantId,
        messages: [{ role: 'user', content: 'Ask the helpdesk agent to say hello.' }],
        tool_ids: [TOOL_ID],
        stream: true,
      }),
      signal: AbortSignal.timeout(CHAT_TIMEOUT_MS),
    });
    const raw = await response.text();
    if (!response.ok) throw new Error(`POST /api/chat/completions as ${user.email}: HTTP ${response.status}: ${raw.slice(0, 500)}`);
    // The tool loop runs in Open WebUI's background task: wait for the LLM's request with the tool's result.
    const until = Date.now() + CHAT_TIMEOUT_MS;
    let toolResult: string | undefined;
    while (Date.now() < until && toolResult === undefined) {
      const withResult = llm!.requests.slice(llmFrom).find((r) => r.messages.at(-1)?.role === 'tool');
      if (withResult) toolResult = String(withResult.messages.at(-1)!.content);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Quiet for 1.5 s: the MCP client's closing requests (if any) belong to this turn too.
    let count = -1;
    for (;;) {
      const now = (await mcpRequests()).length;
      if (now === count) break;
      count = now;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
    const requests = (await mcpRequests()).slice(from);
    // The answer Open WebUI saved in the user's chat (the background task writes it there).
    let answer: string | undefined;
    while (Date.now() < until && !answer?.includes(ANSWER_PREFIX)) {
      const chat = await api(token, 'GET', `/api/v1/chats/${chatId}`);
      answer = chat.chat?.history?.messages?.[assistantId]?.content;
      if (!answer?.includes(ANSWER_PREFIX)) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    stepLine(
      `${user.email}: HTTP answer ${JSON.stringify(raw.slice(0, 80))}, saved answer ${JSON.stringify(answer?.slice(0, 200))}; MCP requests ${JSON.stringify(
        requests.map((r) => `${r.method} ${r.rpc.join('+') || '-'} x-user-id=${header(r, 'x-user-id') ?? '(none)'}`),
      )}`,
    );
    return { requests, userIds: requests.map((r) => header(r, 'x-user-id')), toolResult, answer };
  }

  beforeAll(async () => {
    try {
      await start();
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  async function start(): Promise<void> {
    if (problem) throw new Error(`the kagent MCP test needs Python ≥ 3.11 with venv and pip (CI=true): ${problem}`);
    workDir = mkdtempSync(join(tmpdir(), 'open-webui-kagent-mcp-'));
    adk = await step('Python mcp (the kagent-adk venv, install or cache)', () => ensureKagentAdk({ log: stepLine }));
    const install = await step(`open-webui ${OPEN_WEBUI_VERSION} (install or cache)`, () => ensureOpenWebUi(OPEN_WEBUI_VERSION, stepLine));

    const mcpPort = await freePort();
    mcpBase = `http://127.0.0.1:${mcpPort}`;
    const mcp = startBounded('kagent-controller-mcp-stand-in', adk.python, [join(__dirname, 'support', 'kagent-controller-mcp-stand-in.py'), String(mcpPort)], {
      deadlineMs: PROCESS_DEADLINE_MS,
    });
    processes.push(mcp);
    await step('kagent controller /mcp stand-in (Python mcp, streamable HTTP) on 127.0.0.1', () => waitForHttp(`${mcpBase}/health`, 60_000, mcp));
    llm = await step('LLM stand-in (OpenAI-compatible, scripted) on 127.0.0.1', () => startMcpLlmStandIn(LLM_KEY));

    const uiPort = await freePort();
    ui = await step(`open-webui ${OPEN_WEBUI_VERSION} serve (127.0.0.1, fresh DATA_DIR)`, () =>
      startOpenWebUi({
        install,
        port: uiPort,
        dataDir: join(workDir, 'open-webui'),
        admin: ADMIN,
        openAi: { baseUrl: llm!.baseUrl, key: LLM_KEY },
        deadlineMs: PROCESS_DEADLINE_MS,
      }),
    );
    uiWatchdog = setTimeout(() => void ui?.stop(), PROCESS_DEADLINE_MS);
    uiWatchdog.unref();
    const ports = { mcp: mcpPort, llm: llm.port, openWebUi: uiPort };
    for (const [name, port] of Object.entries(ports)) {
      const addresses = listeningAddresses(port);
      if (addresses === undefined) continue;
      expect(addresses, `${name} listens on ${addresses.join(', ')}`).toEqual(['127.0.0.1']);
    }

    const adminToken = await signIn(ADMIN);
    adminKey = (await api(adminToken, 'POST', '/api/v1/auths/api_key')).api_key as string;
    await api(adminKey, 'POST', '/api/v1/models/model/access/update', {
      id: STAND_IN_MODEL,
      name: STAND_IN_MODEL,
      access_grants: [{ principal_type: 'user', principal_id: '*', permission: 'read' }],
    });
    for (const user of [ALICE, BOB]) {
      await api(adminKey, 'POST', '/api/v1/auths/add', { ...user, role: 'user' });
      const token = await signIn(user);
      tokens.set(user.email, token);
      const me = await api(token, 'GET', '/api/v1/auths/');
      expect(me).toMatchObject({ email: user.email, role: 'user' });
      ids.set(user.email, me.id);
      const models = ((await api(token, 'GET', '/api/models')).data as { id: string }[]).map((m) => m.id);
      expect(models).toContain(STAND_IN_MODEL);
    }
    expect(ids.get(ALICE.email)).not.toBe(ids.get(BOB.email));
  }

  afterAll(async () => {
    if (uiWatchdog) clearTimeout(uiWatchdog);
    await ui?.stop();
    // Read the stand-in's record before it stops.
    const record = mcpBase ? await mcpRequests().catch(() => undefined) : undefined;
    await Promise.all(processes.map((p) => p.stop()));
    mkdirSync(E2E_OUT, { recursive: true });
    const report = join(E2E_OUT, 'open-webui-kagent-mcp-requests.json');
    writeFileSync(report, JSON.stringify({ mcpRequests: record ?? 'stand-in stopped before it could be read', llmRequests: llm?.requests }, null, 2));
    await llm?.close();
    for (const p of processes) writeFileSync(join(E2E_OUT, `open-webui-kagent-mcp-${p.name}.log`), p.output());
    if (ui) writeFileSync(join(E2E_OUT, 'open-webui-kagent-mcp-open-webui.log'), spawnSync('cat', [ui.log], { encoding: 'utf8' }).stdout ?? '');
    stepLine(`MCP/LLM requests in ${report}, logs in ${E2E_OUT}/open-webui-kagent-mcp-*.log${failed ? ' (the run failed)' : ''}`);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const tracked = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      failed = true;
      throw error;
    }
  };

  /** The turn connected (initialize, tools/list), called invoke_agent, and every request carried `expected`. */
  function expectTurn(turn: RoundTrip, expected: string, other: string): void {
    const rpc = turn.requests.flatMap((r) => r.rpc);
    expect(rpc, 'the MCP JSON-RPC methods of the turn').toEqual(expect.arrayContaining(['initialize', 'tools/list', 'tools/call']));
    expect(turn.userIds, `x-user-id of each MCP request: ${JSON.stringify(turn.requests.map((r) => r.headers))}`).toEqual(turn.requests.map(() => expected));
    expect(turn.userIds).not.toContain(other);
    // The stand-in's invoke_agent saw the same x-user-id, and the LLM got its answer back through Open WebUI.
    expect(turn.toolResult, 'the tool result the LLM got').toBeDefined();
    expect(JSON.parse(turn.toolResult!)).toEqual({ ...INVOKE_ARGS, 'x-user-id': expected });
    expect(turn.answer, 'the answer saved in the chat').toContain(`${ANSWER_PREFIX}${turn.toolResult}`);
  }

  it(
    "sends each user's e-mail as x-user-id on every MCP request of that user's chat (userIdFrom's default)",
    tracked(async () => {
      const connection = await step('register the rendered connection (default identity) with register_tool_servers.py', () => register());
      expect(connection.headers).toEqual({ 'x-user-id': '{{USER_EMAIL}}' });
      const alice = await step(`chat as ${ALICE.email} with ${TOOL_ID}`, () => chatWithTools(ALICE));
      const bob = await step(`chat as ${BOB.email} with ${TOOL_ID}`, () => chatWithTools(BOB));
      expectTurn(alice, ALICE.email, BOB.email);
      expectTurn(bob, BOB.email, ALICE.email);
      // The LLM was offered the connection's tools, named server-id_tool as Open WebUI names MCP tools.
      const offered = llm!.requests.flatMap((r) => (r.tools ?? []).map((t) => t.function.name));
      expect(new Set(offered)).toEqual(new Set([`${SERVER_ID}_list_agents`, `${SERVER_ID}_invoke_agent`]));
    }),
  );

  it(
    "sends each user's Open WebUI id instead with a connection rendered from identity.userIdFrom: 'id'",
    tracked(async () => {
      const connection = await step("register the rendered connection (userIdFrom: 'id') with register_tool_servers.py", () => register('id'));
      expect(connection.headers).toEqual({ 'x-user-id': '{{USER_ID}}' });
      const alice = await step(`chat as ${ALICE.email} with ${TOOL_ID}`, () => chatWithTools(ALICE));
      const bob = await step(`chat as ${BOB.email} with ${TOOL_ID}`, () => chatWithTools(BOB));
      expectTurn(alice, ids.get(ALICE.email)!, ids.get(BOB.email)!);
      expectTurn(bob, ids.get(BOB.email)!, ids.get(ALICE.email)!);
      expect(alice.userIds).not.toContain(ALICE.email);
      expect(bob.userIds).not.toContain(BOB.email);
    }),
  );
});

/**
 * Tool approval on kagent's real Python agent runtime: `kagent-adk==0.9.12` from PyPI runs an agent whose
 * `wit_work_item_write` requires approval (as the library renders the Azure DevOps preset), and the real bridge
 * (`npx tsx bridge/main.ts`) turns its pause into a yes/no question for the official `openai` client.
 *
 * Real: kagent-adk (its A2A server, ADK runner, MCP toolset, approval callback and HITL resume), the bridge, the
 * OpenAI client, the MCP protocol (Python `mcp` SDK, streamable HTTP). Stand-ins, each named so in its file: the
 * LLM (llm-stand-in.ts), the Azure DevOps MCP server (azure-devops-mcp-stand-in.py) and the kagent controller's
 * session/task API and A2A proxy (kagent-controller-stand-in.ts). Every process listens on 127.0.0.1 only, has a
 * deadline, and is stopped at the end, pass or fail.
 *
 * Skipped with one line when Python/pip is missing; with CI=true a missing prerequisite fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REJECTION_MESSAGES } from '../bridge/api-keys';
import { ensureKagentAdk, KAGENT_ADK_VERSION, pythonProblem, type KagentAdk } from './support/kagent-adk';
import { AGENT, NAMESPACE, OFFERED, PROCESS_DEADLINE_MS, QUESTION, startAzureDevOpsAgent } from './support/azure-devops-agent';
import type { A2aExchange, ControllerStandIn } from './support/kagent-controller-stand-in';
import { CHAT_PREFIX, CHAT_TOPIC, FINAL_PREFIX, WORK_ITEM_ARGS, WORK_ITEM_TOOL, type LlmStandIn } from './support/llm-stand-in';
import { freePort, listeningAddresses, startBounded, waitForHttp, type BoundedProcess } from './support/processes';
import { E2E_OUT, step, stepLine } from './support/steps';

const REPO = resolve(__dirname, '..');
const API_KEY = 'e2e-kagent-adk-bridge-key-7c41';
/** A key of the accepted shape that the bridge does not accept. */
const WRONG_KEY = 'e2e-kagent-adk-wrong-key-93be0d';
const USER = 'alice@lab.example';
/** Two Open WebUI users, as it forwards them (ENABLE_FORWARD_USER_INFO_HEADERS=true). */
const USER_A = { email: 'anna@lab.example', id: '5b0c7a8e-aaaa-4e0e-9d51-3f3e1c2a0a01', role: 'user' } as const;
const USER_B = { email: 'bram@lab.example', id: '5b0c7a8e-bbbb-4e0e-9d51-3f3e1c2a0b02', role: 'user' } as const;
type OpenWebUiUser = typeof USER_A | typeof USER_B;
/** What user A tells the agent, and user B must never see (nor the model on B's behalf). */
const SECRET = 'heliotrope-5821';
/** Every process is killed after this, whatever happens (the whole file takes well under it). */

const problem = pythonProblem();
const inCi = process.env.CI === 'true';
if (problem && !inCi) stepLine(`kagent-adk approval: SKIPPED, ${problem}`);

interface Turn {
  readonly text: string;
  readonly finishReasons: string[];
}

describe.skipIf(problem !== undefined && !inCi)(`tool approval on kagent-adk ${KAGENT_ADK_VERSION} through the bridge`, () => {
  let adk: KagentAdk;
  let llm: LlmStandIn;
  let controller: ControllerStandIn;
  let bridge: BoundedProcess;
  let mcpUrl: string;
  let bridgeUrl: string;
  let workDir: string;
  const processes: BoundedProcess[] = [];
  let failed = false;

  const mcpCalls = async (): Promise<{ tool: string; args: unknown }[]> =>
    (await fetch(`${mcpUrl}/calls`)).json() as Promise<{ tool: string; args: unknown }[]>;

  const client = (chatId: string, user?: OpenWebUiUser, apiKey = API_KEY) =>
    new OpenAI({
      baseURL: `${bridgeUrl}/v1`,
      apiKey,
      maxRetries: 0,
      timeout: 180_000,
      // As Open WebUI sends them with ENABLE_FORWARD_USER_INFO_HEADERS=true.
      defaultHeaders: user
        ? {
            'X-OpenWebUI-Chat-Id': chatId,
            'X-OpenWebUI-User-Email': user.email,
            'X-OpenWebUI-User-Id': user.id,
            'X-OpenWebUI-User-Role': user.role,
          }
        : { 'X-OpenWebUI-Chat-Id': chatId, 'X-OpenWebUI-User-Email': USER },
    });

  async function ask(chatId: string, messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[], user?: OpenWebUiUser): Promise<Turn> {
    const stream = await client(chatId, user).chat.completions.create({ model: AGENT, messages, stream: true });
    let text = '';
    const finishReasons: string[] = [];
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      const reason = chunk.choices[0]?.finish_reason;
      if (reason) finishReasons.push(reason);
    }
    return { text, finishReasons };
  }

  /** The `approval` field of the bridge's request-log records, in order (README-approval.md). */
  const loggedApprovals = (): (string | undefined)[] =>
    bridge
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { msg?: string; approval?: string })
      .filter((record) => record.msg === 'request')
      .map((record) => record.approval);

  /** The exchanges the bridge had with the agent since `from` that sent a message (not the card lookups). */
  const messageExchanges = (from: number): A2aExchange[] =>
    controller.exchanges.slice(from).filter((e) => (e.request as { method?: string })?.method === 'message/stream');

  beforeAll(async () => {
    try {
      await start();
    } catch (error) {
      failed = true;
      throw error;
    }
  });

  async function start(): Promise<void> {
    if (problem) throw new Error(`kagent-adk approval needs Python ≥ 3.11 with venv and pip (CI=true): ${problem}`);
    adk = await step(`kagent-adk ${KAGENT_ADK_VERSION} (install or cache)`, () => ensureKagentAdk({ log: stepLine }));
    const size = execFileSync('du', ['-sh', adk.venvDir], { encoding: 'utf8' }).split('\t')[0];
    stepLine(`kagent-adk ${adk.installSeconds === undefined ? 'warm' : `cold install ${adk.installSeconds.toFixed(0)} s`}, ${size} in ${adk.venvDir}`);
    workDir = mkdtempSync(join(tmpdir(), 'kagent-adk-approval-'));

    const started = await startAzureDevOpsAgent(adk, workDir, processes);
    ({ llm, controller, mcpUrl } = started);
    const { mcpPort, agentPort } = started;

    const bridgePort = await freePort();
    bridgeUrl = `http://127.0.0.1:${bridgePort}`;
    bridge = startBounded('bridge', 'npx', ['tsx', 'bridge/main.ts'], {
      cwd: REPO,
      deadlineMs: PROCESS_DEADLINE_MS,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        A2A_BASE_URL: controller.a2aBaseUrl,
        AGENTS: `${NAMESPACE}/${AGENT}`,
        BRIDGE_API_KEYS: API_KEY,
        PORT: String(bridgePort),
        // The agent speaks v0.3 only (a2a-sdk 0.3.23) and the stand-in proxy does not translate, as the controller
        // does: the card's 1.0 interface is the controller's to serve.
        A2A_VERSION: '0.3',
        IDLE_TIMEOUT_MS: '120000',
      },
    });
    processes.push(bridge);
    await step('bridge (npx tsx bridge/main.ts) on 127.0.0.1', () => waitForHttp(`${bridgeUrl}/healthz`, 60_000, bridge));

    const ports = { llm: llm.port, controller: controller.port, mcp: mcpPort, agent: agentPort, bridge: bridgePort };
    for (const [name, port] of Object.entries(ports)) {
      const addresses = listeningAddresses(port);
      if (addresses === undefined) continue;
      expect(addresses, `${name} listens on ${addresses.join(', ')}`).toEqual(['127.0.0.1']);
    }
    stepLine(
      `listening on 127.0.0.1 only: ${Object.entries(ports)
        .map(([n, p]) => `${n} :${p}`)
        .join(', ')}`,
    );
  }

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await llm?.close();
    await controller?.close();
    if (controller) {
      mkdirSync(E2E_OUT, { recursive: true });
      const report = join(E2E_OUT, 'kagent-adk-approval-a2a.json');
      writeFileSync(report, JSON.stringify({ exchanges: controller.exchanges, apiRequests: controller.apiRequests, llmRequests: llm?.requests }, null, 2));
      stepLine(`A2A exchanges, controller API calls and LLM requests in ${report}`);
    }
    // Kept pass or fail: what kagent-adk logged is part of what the run proves.
    if (processes.length > 0) {
      mkdirSync(E2E_OUT, { recursive: true });
      for (const p of processes) writeFileSync(join(E2E_OUT, `kagent-adk-approval-${p.name}.log`), p.output());
      stepLine(`process logs in ${E2E_OUT}/kagent-adk-approval-*.log${failed ? ' (the run failed)' : ''}`);
    }
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Marks the run as failed (noted with the process logs) when `body` throws. */
  const tracked = (body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      failed = true;
      throw error;
    }
  };

  let first: Turn;
  const createRequest: OpenAI.Chat.Completions.ChatCompletionMessageParam = {
    role: 'user',
    content: 'Create the user story "Login met SSO" in project Lab.',
  };

  it(
    'asks before wit_work_item_write runs: the answer ends with the question, and the tool did not run',
    tracked(async () => {
      const from = controller.exchanges.length;
      first = await step('chat 1: create a work item → approval question', () => ask('e2e-approve', [createRequest]));
      stepLine(`chat 1 events: ${summary(messageExchanges(from))}`);
      expect(first.text.trimEnd().endsWith(QUESTION), `answer: ${JSON.stringify(first.text)}`).toBe(true);
      expect(await mcpCalls()).toEqual([]);
      // The LLM was offered the tool, and asked for it once.
      expect(llm.requests.at(-1)?.tools?.map((t) => t.function.name)).toEqual(expect.arrayContaining(OFFERED));
      // What kagent-adk sent: the run ends input-required with the confirmation call for the original one.
      const [exchange] = messageExchanges(from);
      const last = result(exchange.events.at(-1));
      expect(last).toMatchObject({ kind: 'status-update', final: true, status: { state: 'input-required' } });
      const confirmation = (last.status.message?.parts ?? []).find((p) => p.data?.name === 'adk_request_confirmation');
      expect(confirmation, JSON.stringify(last)).toBeDefined();
      expect(confirmation!.data!.args).toMatchObject({ originalFunctionCall: { name: WORK_ITEM_TOOL, args: WORK_ITEM_ARGS } });
      expect(loggedApprovals()).toEqual(['requested']);
    }),
  );

  it(
    'yes on the same conversation runs the tool once with those arguments, and the answer has its result',
    tracked(async () => {
      expect(first, 'the first question').toBeDefined();
      const from = controller.exchanges.length;
      const second = await step('chat 1: yes → tool runs', () =>
        ask('e2e-approve', [createRequest, { role: 'assistant', content: first.text }, { role: 'user', content: 'yes' }]),
      );
      const exchanges = messageExchanges(from);
      stepLine(`chat 1 "yes" events: ${summary(exchanges)}`);
      // The decision went on the paused task, as a DataPart.
      const pausedTask = result(messageExchanges(0)[0].events.at(-1)).taskId;
      const sent = (exchanges[0]?.request as { params: { message: { taskId?: string; parts: { kind: string; data?: unknown }[] } } }).params.message;
      expect(sent.taskId).toBe(pausedTask);
      expect(sent.parts).toContainEqual({ kind: 'data', data: { decision_type: 'approve' } });

      expect(await mcpCalls()).toEqual([{ tool: WORK_ITEM_TOOL, args: WORK_ITEM_ARGS }]);
      expect(second.text).toContain(FINAL_PREFIX);
      expect(second.text).toContain('"id": 4711');
      expect(second.text).not.toContain('Reply **yes**');
      expect(second.finishReasons).toEqual(['stop']);
      expect(result(exchanges[0].events.at(-1))).toMatchObject({ kind: 'status-update', final: true, status: { state: 'completed' } });
      expect(loggedApprovals()).toEqual(['requested', 'approved']);
    }),
  );

  it(
    'no on a second conversation: the tool never runs, and the answer says it was not run',
    tracked(async () => {
      const callsBefore = await mcpCalls();
      const from = controller.exchanges.length;
      const question = await step('chat 2: create a work item → approval question', () => ask('e2e-reject', [createRequest]));
      expect(question.text.trimEnd().endsWith(QUESTION), `answer: ${JSON.stringify(question.text)}`).toBe(true);
      const answer = await step('chat 2: no → tool not run', () =>
        ask('e2e-reject', [createRequest, { role: 'assistant', content: question.text }, { role: 'user', content: 'no' }]),
      );
      stepLine(`chat 2 events: ${summary(messageExchanges(from))}`);
      const sent = (messageExchanges(from)[1]?.request as { params: { message: { parts: { kind: string; data?: unknown }[] } } }).params.message;
      expect(sent.parts).toContainEqual({ kind: 'data', data: { decision_type: 'reject' } });
      expect(await mcpCalls()).toEqual(callsBefore);
      expect(answer.text).toContain(`\`${WORK_ITEM_TOOL}\` was not run: you rejected it.`);
      // The model saw kagent-adk's rejection in place of the tool's result.
      expect(answer.text).toContain(`${FINAL_PREFIX}Tool call was rejected by user.`);
      expect(loggedApprovals()).toEqual(['requested', 'approved', 'requested', 'rejected']);
    }),
  );

  describe('who is asking', () => {
    /** The bridge's JSON log records (its stdout) from character `from` on. */
    const logRecords = (from = 0): { msg?: string; reason?: string; status?: number; user?: string; caller?: string }[] =>
      bridge
        .output()
        .slice(from)
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string });

    /** The records from `from` on with this `msg`, once there are `count` of them (its stdout lags the answer a little). */
    const awaitRecords = async (from: number, msg: string, count: number) => {
      const until = Date.now() + 10_000;
      let records = logRecords(from).filter((r) => r.msg === msg);
      while (records.length < count && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        records = logRecords(from).filter((r) => r.msg === msg);
      }
      return records;
    };

    /** What reached kagent-adk and its model so far: A2A exchanges, session/task API calls, LLM requests. */
    const reached = () => ({ exchanges: controller.exchanges.length, apiCalls: controller.apiRequests.length, llm: llm.requests.length });

    it(
      "no key and a wrong key are refused with 401 in OpenAI's shape, before anything reaches kagent-adk, and no key is logged",
      tracked(async () => {
        const before = reached();
        const logFrom = bridge.output().length;
        const request = { model: AGENT, messages: [{ role: 'user', content: 'Create the user story "Login met SSO" in project Lab.' }], stream: true };
        const userHeaders = {
          'content-type': 'application/json',
          'X-OpenWebUI-Chat-Id': 'e2e-unauthorized',
          'X-OpenWebUI-User-Email': USER_A.email,
          'X-OpenWebUI-User-Id': USER_A.id,
          'X-OpenWebUI-User-Role': USER_A.role,
        };

        const missing = await fetch(`${bridgeUrl}/v1/chat/completions`, { method: 'POST', headers: userHeaders, body: JSON.stringify(request) });
        expect(missing.status).toBe(401);
        expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="a2a-bridge"');
        expect(await missing.json()).toEqual({
          error: { message: REJECTION_MESSAGES.missing_key, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
        });

        const wrong = await fetch(`${bridgeUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { ...userHeaders, authorization: `Bearer ${WRONG_KEY}` },
          body: JSON.stringify(request),
        });
        expect(wrong.status).toBe(401);
        expect(await wrong.json()).toEqual({
          error: { message: REJECTION_MESSAGES.invalid_key, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
        });

        // The official client with a wrong key: its AuthenticationError, with the bridge's type and code.
        const refused = await client('e2e-unauthorized', USER_A, WRONG_KEY)
          .chat.completions.create({ model: AGENT, messages: [{ role: 'user', content: 'hello' }], stream: true })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
        const authError = refused as InstanceType<typeof OpenAI.AuthenticationError>;
        expect(authError.status).toBe(401);
        expect(authError.type).toBe('invalid_request_error');
        expect(authError.code).toBe('invalid_api_key');
        stepLine(`401s: no key → ${JSON.stringify(REJECTION_MESSAGES.missing_key)}, wrong key (fetch, openai client) → ${authError.message}`);

        // Nothing reached kagent-adk: no A2A call, no session or task lookup, no model request.
        expect(reached()).toEqual(before);
        // The bridge logged each refusal with its reason, and never a key (neither the wrong one nor the real one).
        const refusals = await awaitRecords(logFrom, 'unauthorized', 3);
        expect(refusals.map((r) => [r.status, r.reason])).toEqual([
          [401, 'missing_key'],
          [401, 'invalid_key'],
          [401, 'invalid_key'],
        ]);
        const log = bridge.output();
        expect(log).not.toContain(WRONG_KEY);
        expect(log).not.toContain(API_KEY);
      }),
    );

    it(
      "two Open WebUI users on one chat id: kagent-adk gets each one's e-mail as x-user-id, keeps two sessions, and B's model request has no trace of A's secret",
      tracked(async () => {
        const chatId = 'e2e-shared-chat';
        const logFrom = bridge.output().length;
        const tell: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: 'user', content: `Remember this ${CHAT_TOPIC}: ${SECRET}.` };
        const question: OpenAI.Chat.Completions.ChatCompletionMessageParam = { role: 'user', content: `What is the ${CHAT_TOPIC}?` };

        const turn = async (label: string, user: OpenWebUiUser, messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[]) => {
          const start = reached();
          const answer = await step(label, () => ask(chatId, messages, user));
          const exchanges = messageExchanges(start.exchanges);
          stepLine(`${label}: ${summary(exchanges)}`);
          return { answer, exchanges, apiRequests: controller.apiRequests.slice(start.apiCalls), llmRequests: llm.requests.slice(start.llm) };
        };

        const a1 = await turn('user A tells the secret word', USER_A, [tell]);
        const b = await turn('user B asks for it on the same chat id', USER_B, [question]);
        // Control: A's own session still has the word, so kagent-adk does replay a session's history to the model.
        const a2 = await turn('user A asks for it again', USER_A, [tell, { role: 'assistant', content: a1.answer.text }, question]);
        const evidence = JSON.stringify(
          {
            b: { answer: b.answer.text, apiRequests: b.apiRequests, llmRequests: b.llmRequests },
            sessions: controller.sessions().map((s) => ({ id: s.id, userId: s.userId, events: s.events.length })),
          },
          null,
          2,
        );

        for (const [t, user] of [
          [a1, USER_A],
          [b, USER_B],
          [a2, USER_A],
        ] as const) {
          expect(t.answer.finishReasons).toEqual(['stop']);
          expect(t.answer.text).toContain(CHAT_PREFIX);
          // The A2A request the bridge sent: the worst case, one context id for both users, and this user as x-user-id.
          expect(t.exchanges).toHaveLength(1);
          const [exchange] = t.exchanges;
          expect(exchange.userId).toBe(user.email);
          expect((exchange.request as { params: { message: { contextId?: string } } }).params.message.contextId).toBe(`openwebui-${chatId}`);
          // kagent-adk ran the turn as this user: every event it sent says so.
          const eventUsers = new Set(exchange.events.map((e) => result(e).metadata?.kagent_user_id).filter((u) => u !== undefined));
          expect([...eventUsers]).toEqual([user.email]);
          // Its session and task API calls were all for this user, in the query and in the header.
          expect(t.apiRequests.length).toBeGreaterThan(0);
          for (const call of t.apiRequests.filter((c) => c.path.startsWith('/api/sessions'))) {
            expect(call, `${call.method} ${call.path}`).toMatchObject({ userIdParam: user.email, userIdHeader: user.email });
          }
          for (const call of t.apiRequests.filter((c) => c.path.startsWith('/api/tasks'))) {
            expect(call.userIdHeader, `${call.method} ${call.path}`).toBe(user.email);
          }
          expect(t.llmRequests.length).toBeGreaterThan(0);
        }
        // B's turn created B's own session: the same id, a different user.
        expect(b.apiRequests.filter((c) => c.method === 'POST' && c.path === '/api/sessions')).toHaveLength(1);
        const shared = controller.sessions().filter((s) => s.id === `openwebui-${chatId}`);
        expect(
          shared.map((s) => s.userId),
          evidence,
        ).toEqual([USER_A.email, USER_B.email]);
        expect(JSON.stringify(shared.find((s) => s.userId === USER_B.email)?.events), evidence).not.toContain(SECRET);

        // The leak check has teeth: A's first and second model requests carry the word (the second from the replayed history).
        expect(JSON.stringify(a1.llmRequests)).toContain(SECRET);
        expect(JSON.stringify(a2.llmRequests.at(-1)?.messages.slice(0, -1))).toContain(SECRET);
        expect(a2.answer.text).toContain(SECRET);
        // B: nothing of A's word in what the model was given, nor in B's answer.
        expect(JSON.stringify(b.llmRequests), evidence).not.toContain(SECRET);
        expect(b.answer.text, evidence).not.toContain(SECRET);

        // The bridge's request log names each user (the e-mail, as USER_ID_FROM=email says).
        const users = (await awaitRecords(logFrom, 'request', 3)).map((r) => [r.user, r.caller]);
        expect(users).toEqual([
          [USER_A.email, 'user'],
          [USER_B.email, 'user'],
          [USER_A.email, 'user'],
        ]);
      }),
    );
  });
});

interface V03Part {
  kind: string;
  text?: string;
  data?: { name?: string; args?: unknown; response?: unknown; decision_type?: string };
  metadata?: Record<string, unknown>;
}
interface V03Result {
  kind: string;
  taskId: string;
  final?: boolean;
  status: { state: string; message?: { role: string; parts: V03Part[] } };
  artifact?: { parts: V03Part[] };
  metadata?: Record<string, unknown>;
}

function result(event: unknown): V03Result {
  return ((event as { result?: V03Result })?.result ?? event) as V03Result;
}

/** One line per exchange: each event as `kind state [parts]`, e.g. `status-update working [data function_call wit_work_item_write]`. */
function summary(exchanges: readonly A2aExchange[]): string {
  return exchanges
    .map((exchange, i) => {
      const events = exchange.events.map((raw) => {
        const r = result(raw);
        if ((raw as { error?: { message?: string } })?.error) return `error ${JSON.stringify((raw as { error: unknown }).error)}`;
        const parts = (r.status?.message?.parts ?? r.artifact?.parts ?? []).map(describePart);
        const partial = r.metadata?.kagent_adk_partial === true ? ' partial' : '';
        return `${r.kind}${r.status ? ` ${r.status.state}` : ''}${r.final ? ' final' : ''}${partial}${parts.length ? ` [${parts.join(', ')}]` : ''}`;
      });
      return `#${i + 1} (HTTP ${exchange.status}) ${events.join(' → ')}`;
    })
    .join(' | ');
}

function describePart(part: V03Part): string {
  if (part.kind === 'text') return `text ${JSON.stringify((part.text ?? '').slice(0, 60))}`;
  if (part.kind === 'data') {
    const type = part.metadata?.kagent_type ?? part.metadata?.adk_type ?? (part.data?.decision_type ? 'decision' : '?');
    const longRunning = part.metadata?.kagent_is_long_running === true ? ' long-running' : '';
    return `data ${String(type)} ${part.data?.name ?? part.data?.decision_type ?? ''}${longRunning}`.trimEnd();
  }
  return part.kind;
}

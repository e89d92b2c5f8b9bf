/**
 * Tool approval through the Pipe running INSIDE the real Open WebUI (PyPI, the pinned image's version) against
 * kagent's real Python agent runtime (`kagent-adk==0.9.12`): the synthesized `a2a_pipe.py` (rendered with
 * `renderPipe`, its A2A base the controller stand-in's `/api/a2a`) is registered by the synthesized
 * `register_pipe.py`, and an ordinary signed-in user chats with `kagent_agents.azure-devops` over Open WebUI's
 * own `POST /api/chat/completions`: the pause for `wit_work_item_write` becomes a yes/no question, "yes" runs the
 * tool once, "no" in another chat never runs it.
 *
 * Real: Open WebUI (its function loader, chat pipeline, access control, `__user__`/`__metadata__`), the Pipe,
 * kagent-adk (A2A server, ADK runner, MCP toolset, approval callback, HITL resume), the MCP protocol. Stand-ins,
 * each named so in its file: the LLM, the Azure DevOps MCP server, the kagent controller's session/task API and
 * A2A proxy, and the OpenAI connection Open WebUI starts with (it lists no models). Every process listens on
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
import { renderPipe } from '../src/chat/open-webui-pipe';
import { renderTree, type RenderedFile } from '../src/synth/render-tree';
import { ensureKagentAdk, KAGENT_ADK_VERSION, pythonProblem, type KagentAdk } from './support/kagent-adk';
import { AGENT, PROCESS_DEADLINE_MS, QUESTION, startAzureDevOpsAgent } from './support/azure-devops-agent';
import type { A2aExchange, ControllerStandIn } from './support/kagent-controller-stand-in';
import { FINAL_PREFIX, WORK_ITEM_ARGS, WORK_ITEM_TOOL, type LlmStandIn } from './support/llm-stand-in';
import { ensureOpenWebUi, startBridgeStandIn, startOpenWebUi, type RunningOpenWebUi } from './support/open-webui';
import { freePort, listeningAddresses, type BoundedProcess } from './support/processes';
import { E2E_OUT, step, stepLine } from './support/steps';

/** The PyPI release of the pinned image (`ghcr.io/open-webui/open-webui:v0.11.0` → 0.11.0). */
const OPEN_WEBUI_VERSION = VERSIONS.images.openWebUi.split(':v')[1];
const ADMIN = { email: 'admin@lab.example', password: 'admin-pass-e2e-1' };
const USER = { name: 'Alice', email: 'alice@lab.example', password: 'alice-pass-e2e-1' };
/** The Pipe's frontmatter `requirements:`, pinned. */
const PIPE_REQUIREMENT = { name: 'httpx-sse', module: 'httpx_sse', version: '0.4.3' };
/** Every process is killed after this, whatever happens (the whole file takes well under it). */
/** One chat request through Open WebUI, the Pipe and the agent. */
const CHAT_TIMEOUT_MS = 180_000;
/** The Pipe's `approval_question` for the stand-in LLM's call (compact JSON, as `json.dumps(separators=(',', ':'))`). */

const problem = pythonProblem();
const inCi = process.env.CI === 'true';
if (problem && !inCi) stepLine(`open-webui pipe approval: SKIPPED, ${problem}`);

interface Turn {
  readonly text: string;
  readonly finishReasons: string[];
  readonly errors: unknown[];
}
type Message = { role: 'user' | 'assistant'; content: string };

/** The platform with one agent, azure-devops in kagent's namespace, and the Pipe registered by its Job. */
function synthesize(): { platform: AgentPlatform; files: RenderedFile[] } {
  const app = Testing.app();
  const config: PlatformConfigInput = {
    gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
    ollama: {},
    models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
    agents: [{ name: AGENT, description: 'Senior PO agent for Azure DevOps User Stories', model: 'small', prompt: { inline: 'You create work items.' } }],
    openWebUi: {
      secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
      pipe: { register: { adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' } } },
    },
  };
  const platform = new AgentPlatform(app, 'platform', config, { bridgeBundle: '// stand-in' });
  return { platform, files: renderTree(app) };
}

function configMapData(files: readonly RenderedFile[], name: string): Record<string, string> {
  const found = files.flatMap((f) => f.objects).filter((o: any) => o.kind === 'ConfigMap' && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ConfigMap ${name}, found ${found.length}`);
  return (found[0] as any).data;
}

describe.skipIf(problem !== undefined && !inCi)(
  `tool approval through the Pipe inside Open WebUI ${OPEN_WEBUI_VERSION} on kagent-adk ${KAGENT_ADK_VERSION}`,
  () => {
    let adk: KagentAdk;
    let llm: LlmStandIn;
    let controller: ControllerStandIn;
    let connection: { baseUrl: string; stop(): Promise<void> } | undefined;
    let ui: RunningOpenWebUi | undefined;
    let uiWatchdog: NodeJS.Timeout | undefined;
    let mcpUrl: string;
    let workDir: string;
    let functionId: string;
    let modelId: string;
    let userToken: string;
    const processes: BoundedProcess[] = [];
    let failed = false;

    const mcpCalls = async (): Promise<{ tool: string; args: unknown }[]> =>
      (await fetch(`${mcpUrl}/calls`)).json() as Promise<{ tool: string; args: unknown }[]>;

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

    /**
     * One turn as a client of Open WebUI's chat API: `chat_id` at the top of the body (Open WebUI moves it into the
     * metadata it hands the Pipe as `__metadata__`; a `metadata` field of the request would be replaced), no
     * `session_id` (so the answer comes back on this response, not over the socket), streamed as the UI asks.
     */
    async function ask(chatId: string, messages: Message[]): Promise<Turn> {
      const response = await fetch(`${ui!.url}/api/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${userToken}`, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ model: modelId, chat_id: chatId, messages, stream: true }),
        signal: AbortSignal.timeout(CHAT_TIMEOUT_MS),
      });
      const raw = await response.text();
      if (!response.ok) throw new Error(`POST /api/chat/completions: HTTP ${response.status}: ${raw.slice(0, 500)}`);
      let text = '';
      const finishReasons: string[] = [];
      const errors: unknown[] = [];
      for (const block of raw.split(/\r?\n\r?\n/)) {
        const data = block
          .split(/\r?\n/)
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (!data || data === '[DONE]') continue;
        const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string }; finish_reason?: string | null }[]; error?: unknown };
        if (chunk.error) errors.push(chunk.error);
        text += chunk.choices?.[0]?.delta?.content ?? '';
        const reason = chunk.choices?.[0]?.finish_reason;
        if (reason) finishReasons.push(reason);
      }
      return { text, finishReasons, errors };
    }

    /** A saved chat of the signed-in user, as the UI creates one (Open WebUI refuses a `chat_id` it does not know). */
    const newChat = async (title: string): Promise<string> =>
      (await api(userToken, 'POST', '/api/v1/chats/new', { chat: { title, models: [modelId], messages: [], history: { messages: {}, currentId: null } } })).id;

    /** The exchanges with the agent since `from` that sent a message (not card lookups). */
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
      if (problem) throw new Error(`the Pipe approval test needs Python ≥ 3.11 with venv and pip (CI=true): ${problem}`);
      workDir = mkdtempSync(join(tmpdir(), 'open-webui-pipe-approval-'));
      adk = await step(`kagent-adk ${KAGENT_ADK_VERSION} (install or cache)`, () => ensureKagentAdk({ log: stepLine }));
      const install = await step(`open-webui ${OPEN_WEBUI_VERSION} (install or cache)`, () => ensureOpenWebUi(OPEN_WEBUI_VERSION, stepLine));
      // startOpenWebUi sets OFFLINE_MODE, so Open WebUI skips the frontmatter `requirements:`: they must be in its venv.
      await step(`${PIPE_REQUIREMENT.name}==${PIPE_REQUIREMENT.version} in the Open WebUI venv`, () => {
        const python = join(install.bin, 'python');
        const probe = () =>
          spawnSync(python, ['-c', `import importlib.metadata as m, ${PIPE_REQUIREMENT.module}; print(m.version("${PIPE_REQUIREMENT.name}"))`], {
            encoding: 'utf8',
            timeout: 60_000,
          });
        let found = probe();
        if (found.status !== 0 || found.stdout.trim() !== PIPE_REQUIREMENT.version) {
          stepLine(`  installing ${PIPE_REQUIREMENT.name}==${PIPE_REQUIREMENT.version} from PyPI (had: ${found.stdout.trim() || 'none'})`);
          const pip = spawnSync(
            python,
            ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `${PIPE_REQUIREMENT.name}==${PIPE_REQUIREMENT.version}`],
            {
              encoding: 'utf8',
              timeout: 300_000,
            },
          );
          if (pip.status !== 0) throw new Error(`pip install ${PIPE_REQUIREMENT.name} failed:\n${pip.stderr || pip.stdout}`);
          found = probe();
        } else stepLine(`  already installed (${found.stdout.trim()})`);
        expect(found.stdout.trim()).toBe(PIPE_REQUIREMENT.version);
      });

      const started = await startAzureDevOpsAgent(adk, workDir, processes);
      ({ llm, controller, mcpUrl } = started);
      const { mcpPort, agentPort } = started;

      // Open WebUI needs an OpenAI connection to start with: a stand-in that lists no models.
      connection = await startBridgeStandIn([], 'stand-in-connection-key');
      const uiPort = await freePort();
      ui = await step(`open-webui ${OPEN_WEBUI_VERSION} serve (127.0.0.1, fresh DATA_DIR)`, () =>
        startOpenWebUi({
          install,
          port: uiPort,
          dataDir: join(workDir, 'open-webui'),
          admin: ADMIN,
          openAi: { baseUrl: connection!.baseUrl, key: 'stand-in-connection-key' },
        }),
      );
      // The helper has no deadline of its own once it is up.
      uiWatchdog = setTimeout(() => void ui?.stop(), PROCESS_DEADLINE_MS);
      uiWatchdog.unref();

      const ports = { llm: llm.port, controller: controller.port, mcp: mcpPort, agent: agentPort, openWebUi: uiPort };
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

      // The Pipe: renderPipe with the controller stand-in's A2A base; otherwise the synthesized file.
      const { platform, files } = synthesize();
      functionId = platform.pipe!.functionId;
      const synthesized = configMapData(files, 'a2a-pipe-function');
      const source = renderPipe(platform.agents, controller.a2aBaseUrl, 300, platform.kagent.namespace);
      expect(source).toBe(synthesized['a2a_pipe.py'].replace(platform.kagent.a2aUrl, controller.a2aBaseUrl));
      expect(source).toContain(`requirements: ${PIPE_REQUIREMENT.name}==${PIPE_REQUIREMENT.version}`);
      const pipeDir = join(workDir, 'pipe');
      mkdirSync(pipeDir);
      writeFileSync(join(pipeDir, 'a2a_pipe.py'), source);
      writeFileSync(join(pipeDir, 'register_pipe.py'), synthesized['register_pipe.py']);

      const adminToken = await signIn(ADMIN);
      const adminKey = (await api(adminToken, 'POST', '/api/v1/auths/api_key')).api_key as string;
      const registered = await step('register the Pipe (the synthesized register_pipe.py)', () =>
        spawnSync('python3', [join(pipeDir, 'register_pipe.py')], {
          encoding: 'utf8',
          timeout: 120_000,
          env: {
            PATH: process.env.PATH ?? '',
            OPENWEBUI_URL: ui!.url,
            OPENWEBUI_API_KEY: adminKey,
            FUNCTION_ID: functionId,
            FUNCTION_NAME: 'kagent agents',
            PIPE_FILE: join(pipeDir, 'a2a_pipe.py'),
          },
        }),
      );
      if (registered.status !== 0) throw new Error(`register_pipe.py failed (${registered.status}):\n${registered.stdout}\n${registered.stderr}`);
      expect(registered.stdout).toBe(`function ${functionId} created and active\n`);
      const fn = await api(adminKey, 'GET', `/api/v1/functions/id/${functionId}`);
      expect(fn).toMatchObject({ id: functionId, type: 'pipe', is_active: true });
      const valves = await api(adminKey, 'GET', `/api/v1/functions/id/${functionId}/valves/spec`);
      expect(valves.properties.A2A_BASE_URL.default).toBe(controller.a2aBaseUrl);
      expect(valves.properties.USER_ID_FROM.default).toBe('email');
      // A2A_VERSION stays at its default, auto: kagent-adk's a2a-sdk 0.3.23 serves the card without the
      // `supportedInterfaces` the controller wrote (its AgentCard model has no such field), so the Pipe picks v0.3,
      // the only version the agent speaks (the bridge test has to force A2A_VERSION=0.3; the Pipe does not).
      expect(valves.properties.A2A_VERSION.default).toBe('auto');

      // The agent's model open to every user, as the access Job grants an agent without a team.
      modelId = `${functionId}.${AGENT}`;
      await api(adminKey, 'POST', '/api/v1/models/model/access/update', {
        id: modelId,
        name: modelId,
        access_grants: [{ principal_type: 'user', principal_id: '*', permission: 'read' }],
      });
      await api(adminKey, 'POST', '/api/v1/auths/add', { ...USER, role: 'user' });
      userToken = await signIn(USER);
      const models = ((await api(userToken, 'GET', '/api/models')).data as { id: string }[]).map((m) => m.id);
      expect(models).toContain(modelId);
    }

    afterAll(async () => {
      if (uiWatchdog) clearTimeout(uiWatchdog);
      await ui?.stop();
      await Promise.all(processes.map((p) => p.stop()));
      await connection?.stop();
      await llm?.close();
      await controller?.close();
      mkdirSync(E2E_OUT, { recursive: true });
      if (controller) {
        const report = join(E2E_OUT, 'open-webui-pipe-approval-a2a.json');
        writeFileSync(report, JSON.stringify({ exchanges: controller.exchanges, apiCalls: controller.apiCalls, llmRequests: llm?.requests }, null, 2));
        stepLine(`A2A exchanges, controller API calls and LLM requests in ${report}`);
      }
      for (const p of processes) writeFileSync(join(E2E_OUT, `open-webui-pipe-approval-${p.name}.log`), p.output());
      if (ui) {
        const log = spawnSync('cat', [ui.log], { encoding: 'utf8' }).stdout ?? '';
        writeFileSync(join(E2E_OUT, 'open-webui-pipe-approval-open-webui.log'), log);
      }
      stepLine(`process logs in ${E2E_OUT}/open-webui-pipe-approval-*.log${failed ? ' (the run failed)' : ''}`);
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

    const createRequest: Message = { role: 'user', content: 'Create the user story "Login met SSO" in project Lab.' };
    let approveChat: string;
    let first: Turn;

    it(
      'asks before wit_work_item_write runs: the answer ends with the question, and the tool did not run',
      tracked(async () => {
        approveChat = await newChat('approve');
        const from = controller.exchanges.length;
        first = await step('chat 1 (Open WebUI → Pipe → kagent-adk): create a work item → approval question', () => ask(approveChat, [createRequest]));
        stepLine(`chat 1 answer: ${JSON.stringify(first.text)}`);
        expect(first.errors).toEqual([]);
        expect(first.text.trimEnd().endsWith(QUESTION), `answer: ${JSON.stringify(first.text)}`).toBe(true);
        expect(first.text).toContain(WORK_ITEM_TOOL);
        expect(await mcpCalls()).toEqual([]);
        const [exchange] = messageExchanges(from);
        expect(exchange, 'one message/stream exchange').toBeDefined();
        // The Pipe's context id is Open WebUI's chat id, as it reads it from __metadata__.
        expect((exchange.request as any).params.message.contextId).toBe(`openwebui-${approveChat}`);
        const last = (exchange.events.at(-1) as any)?.result;
        expect(last).toMatchObject({ kind: 'status-update', final: true, status: { state: 'input-required' } });
      }),
    );

    it(
      'yes on the same chat runs the tool once with the arguments of the question, and the answer has its result',
      tracked(async () => {
        expect(first, 'the first question').toBeDefined();
        const from = controller.exchanges.length;
        const second = await step('chat 1: yes → tool runs', () =>
          ask(approveChat, [createRequest, { role: 'assistant', content: first.text }, { role: 'user', content: 'yes' }]),
        );
        stepLine(`chat 1 "yes" answer: ${JSON.stringify(second.text)}`);
        expect(second.errors).toEqual([]);
        const exchanges = messageExchanges(from);
        const pausedTask = (messageExchanges(0)[0].events.at(-1) as any).result.taskId;
        const sent = (exchanges[0]?.request as any)?.params?.message;
        expect(sent?.taskId, `sent: ${JSON.stringify(sent)}; answer: ${JSON.stringify(second.text)}`).toBe(pausedTask);
        expect(sent.parts).toContainEqual({ kind: 'data', data: { decision_type: 'approve' } });
        expect(await mcpCalls()).toEqual([{ tool: WORK_ITEM_TOOL, args: WORK_ITEM_ARGS }]);
        expect(second.text).toContain(FINAL_PREFIX);
        expect(second.text).toContain('"id": 4711');
        expect(second.text).not.toContain('Reply **yes**');
        expect(second.finishReasons).toEqual(['stop']);
      }),
    );

    it(
      'no on a second chat: the tool never runs, and the answer says it was not run',
      tracked(async () => {
        const callsBefore = await mcpCalls();
        const rejectChat = await newChat('reject');
        const from = controller.exchanges.length;
        const question = await step('chat 2: create a work item → approval question', () => ask(rejectChat, [createRequest]));
        expect(question.text.trimEnd().endsWith(QUESTION), `answer: ${JSON.stringify(question.text)}`).toBe(true);
        const answer = await step('chat 2: no → tool not run', () =>
          ask(rejectChat, [createRequest, { role: 'assistant', content: question.text }, { role: 'user', content: 'no' }]),
        );
        stepLine(`chat 2 "no" answer: ${JSON.stringify(answer.text)}`);
        expect(answer.errors).toEqual([]);
        const sent = (messageExchanges(from)[1]?.request as any)?.params?.message;
        expect(sent?.parts, `answer: ${JSON.stringify(answer.text)}`).toContainEqual({ kind: 'data', data: { decision_type: 'reject' } });
        expect(await mcpCalls()).toEqual(callsBefore);
        expect(answer.text).toContain(`\`${WORK_ITEM_TOOL}\` was not run: you rejected it.`);
        expect(answer.text).toContain(`${FINAL_PREFIX}Tool call was rejected by user.`);
      }),
    );

    it(
      "kagent-adk got the signed-in user's e-mail as x-user-id (USER_ID_FROM's default)",
      tracked(async () => {
        const exchanges = messageExchanges(0);
        expect(exchanges.length).toBe(4);
        // kagent-adk puts the x-user-id it received on every event (kagent_user_id) and keys the session by it.
        const users = new Set(exchanges.flatMap((e) => e.events.map((event: any) => event?.result?.metadata?.kagent_user_id)).filter(Boolean));
        expect([...users]).toEqual([USER.email]);
        const sessions = (await (await fetch(`${controller.url}/api/sessions?user_id=${encodeURIComponent(USER.email)}`)).json()) as { data: { id: string }[] };
        expect(sessions.data.map((s) => s.id).every((id) => id.startsWith('openwebui-'))).toBe(true);
        expect(sessions.data.length).toBe(2);
        // Not the Open WebUI user id (USER_ID_FROM=id would send that).
        const me = await api(userToken, 'GET', '/api/v1/auths/');
        expect(me.email).toBe(USER.email);
        const byId = (await (await fetch(`${controller.url}/api/sessions?user_id=${encodeURIComponent(me.id)}`)).json()) as { data: unknown[] };
        expect(byId.data).toEqual([]);
      }),
    );
  },
);

/**
 * Per-team access on the real Open WebUI (PyPI, the version of the pinned image): the synthesized access Job's
 * script, run twice with the Job's own environment and data, creates the team's group and the agents' model
 * access, then changes nothing; an ordinary user in the group sees the team's agent in `GET /api/models`, one
 * outside it does not. The bridge is a stand-in (it only lists the model ids); Open WebUI is stopped at the end.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentPlatform, AgentTeam, VERSIONS, type PlatformConfigInput } from '../src';
import { inlinePrompt } from '../src/agents/system-prompt';
import { renderTree, type RenderedFile } from '../src/synth/render-tree';
import { ensureOpenWebUi, freePort, startBridgeStandIn, startOpenWebUi, type RunningOpenWebUi } from './support/open-webui';
import { step, stepLine } from './support/steps';

/** The PyPI release of the pinned image (`ghcr.io/open-webui/open-webui:v0.11.0` → 0.11.0). */
const VERSION = VERSIONS.images.openWebUi.split(':v')[1];
const ADMIN = { email: 'admin@lab.example', password: 'admin-pass-e2e-1' };
const MEMBER = { name: 'Alice', email: 'alice@lab.example', password: 'alice-pass-e2e-1' };
const OUTSIDER = { name: 'Bob', email: 'bob@lab.example', password: 'bob-pass-e2e-1' };
const BRIDGE_KEY = 'stand-in-bridge-key';
const ADMIN_KEY_SECRET = { name: 'open-webui-admin', key: 'api-key' };

/** The platform: one config agent open to everyone, a team "research" with its agent scout (default: the team's group). */
function synthesize(): RenderedFile[] {
  const app = Testing.app();
  const config: PlatformConfigInput = {
    gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
    ollama: {},
    models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
    agents: [{ name: 'helpdesk', description: 'Answers questions', model: 'small', prompt: { inline: 'You help.' } }],
    openWebUi: {
      secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
      pipe: { register: { adminApiKeySecret: ADMIN_KEY_SECRET } },
      access: { adminApiKeySecret: ADMIN_KEY_SECRET },
    },
  };
  const platform = new AgentPlatform(app, 'platform', config, { bridgeBundle: '// stand-in' });
  const team = new AgentTeam(platform, 'research', { name: 'research' });
  const model = team.addModel('qwen', { provider: 'ollama', model: 'qwen3:14b' });
  team.addAgent('scout', { name: 'scout', description: 'Searches the web', systemPrompt: inlinePrompt('You search.'), modelConfig: model });
  return renderTree(app);
}

function one(files: readonly RenderedFile[], kind: string, name: string): any {
  const found = files.flatMap((f) => f.objects).filter((o: any) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

/** A Job's script, run as the Job runs it: its env (the key resolved from "the Secret", the URL the local one). */
function runJob(files: readonly RenderedFile[], job: string, openWebUiUrl: string, adminKey: string, dir: string): { stdout: string; stderr: string } {
  const spec = one(files, 'Job', job).spec.template.spec;
  const container = spec.containers[0];
  const mount = container.volumeMounts[0].mountPath as string;
  const data = one(files, 'ConfigMap', spec.volumes[0].configMap.name).data as Record<string, string>;
  const folder = join(dir, job);
  rmSync(folder, { recursive: true, force: true });
  spawnSync('mkdir', ['-p', folder]);
  for (const [file, content] of Object.entries(data)) writeFileSync(join(folder, file), content);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const e of container.env) {
    if (e.valueFrom?.secretKeyRef) {
      expect(e.valueFrom.secretKeyRef).toEqual(ADMIN_KEY_SECRET);
      env[e.name] = adminKey;
    } else env[e.name] = e.name === 'OPENWEBUI_URL' ? openWebUiUrl : String(e.value).replaceAll(`${mount}/`, `${folder}/`);
  }
  const [python, script] = container.command as string[];
  const result = spawnSync(python, [script.replace(`${mount}/`, `${folder}/`)], { env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${job} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { stdout: result.stdout, stderr: result.stderr };
}

describe(`per-team access on the real Open WebUI ${VERSION}`, () => {
  let files: RenderedFile[];
  let ui: RunningOpenWebUi | undefined;
  let bridge: { baseUrl: string; stop(): Promise<void> } | undefined;
  let work: string;
  let adminKey: string;

  const api = async (token: string, method: string, path: string, body?: unknown): Promise<any> => {
    const response = await fetch(`${ui!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text);
  };
  const signIn = async (user: { email: string; password: string }): Promise<string> => {
    const response = await fetch(`${ui!.url}/api/v1/auths/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: user.password }),
    });
    if (!response.ok) throw new Error(`sign-in of ${user.email}: HTTP ${response.status}`);
    return ((await response.json()) as { token: string }).token;
  };
  const modelIds = async (user: { email: string; password: string }) =>
    ((await api(await signIn(user), 'GET', '/api/models')).data as Array<{ id: string }>).map((m) => m.id).sort();

  beforeAll(async () => {
    files = synthesize();
    work = mkdtempSync(join(tmpdir(), 'open-webui-access-'));
    const install = await step(`open-webui ${VERSION} (install or cache)`, () => ensureOpenWebUi(VERSION, stepLine));
    if (install.installSeconds > 0) stepLine(`open-webui ${VERSION} installed in ${install.installSeconds.toFixed(0)} s`);
    // The stand-in lists the model ids the synthesized bridge would (its AGENTS), e.g. "research/scout".
    const agents = (one(files, 'Deployment', 'a2a-bridge').spec.template.spec.containers[0].env as any[]).find((e) => e.name === 'AGENTS').value as string;
    const ids = agents.split(',').map((entry) => (entry.includes('=') ? entry.split('=')[0] : entry.split('/')[1]));
    expect(ids).toEqual(['helpdesk', 'research/scout']);
    bridge = await startBridgeStandIn(ids, BRIDGE_KEY);
    const port = await freePort();
    ui = await step('open-webui serve (127.0.0.1, fresh DATA_DIR)', () =>
      startOpenWebUi({ install, port, dataDir: join(work, 'data'), admin: ADMIN, openAi: { baseUrl: bridge!.baseUrl, key: BRIDGE_KEY } }),
    );
    const token = await signIn(ADMIN);
    adminKey = (await api(token, 'POST', '/api/v1/auths/api_key')).api_key;
    for (const user of [MEMBER, OUTSIDER]) await api(token, 'POST', '/api/v1/auths/add', { ...user, role: 'user' });
  });

  afterAll(async () => {
    await ui?.stop();
    await bridge?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('first run creates the group and the model access; a second run changes nothing', async () => {
    const pipe = await step('register the Pipe (its PostSync Job script)', () => runJob(files, 'register-a2a-pipe', ui!.url, adminKey, work));
    expect(pipe.stdout).toBe('function kagent_agents created and active\n');
    const first = await step('access Job, first run', () => runJob(files, 'sync-open-webui-access', ui!.url, adminKey, work));
    expect(first.stdout).toBe(
      [
        'group "research" created',
        'model "helpdesk" created: readable by every user',
        'model "kagent_agents.helpdesk" created: readable by every user',
        'model "research/scout" created: readable by group "research"',
        'model "kagent_agents.research/scout" created: readable by group "research"',
        'access updated: 5 change(s)',
        '',
      ].join('\n'),
    );
    const groups = await api(adminKey, 'GET', '/api/v1/groups/');
    expect(groups.map((g: any) => g.name)).toEqual(['research']);
    const research = groups[0].id as string;
    const grants = async (id: string) => {
      const model = await api(adminKey, 'GET', `/api/v1/models/model?id=${encodeURIComponent(id)}`);
      return { grants: model.access_grants.map((g: any) => [g.principal_type, g.principal_id, g.permission]), updatedAt: model.updated_at };
    };
    const before = {
      scout: await grants('research/scout'),
      pipeScout: await grants('kagent_agents.research/scout'),
      helpdesk: await grants('helpdesk'),
    };
    expect(before.scout.grants).toEqual([['group', research, 'read']]);
    expect(before.pipeScout.grants).toEqual([['group', research, 'read']]);
    expect(before.helpdesk.grants).toEqual([['user', '*', 'read']]);

    // Membership is Open WebUI's: the test adds the member, as an admin (or SSO) would.
    const users = (await api(adminKey, 'GET', '/api/v1/users/?limit=50')).users as Array<{ id: string; email: string }>;
    const alice = users.find((u) => u.email === MEMBER.email)!;
    const added = await api(adminKey, 'POST', `/api/v1/groups/id/${research}/users/add`, { user_ids: [alice.id] });
    expect(added.member_count).toBe(1);
    const groupUpdatedAt = added.updated_at; // adding a member touches the group

    await new Promise((resolve) => setTimeout(resolve, 1100)); // updated_at is in seconds: a write now would show
    const second = await step('access Job, second run', () => runJob(files, 'sync-open-webui-access', ui!.url, adminKey, work));
    expect(second.stdout).toBe('access unchanged\n');
    expect((await api(adminKey, 'GET', '/api/v1/groups/')).map((g: any) => [g.name, g.updated_at])).toEqual([['research', groupUpdatedAt]]);
    expect(await grants('research/scout')).toEqual(before.scout);
    expect(await grants('kagent_agents.research/scout')).toEqual(before.pipeScout);
    expect(await grants('helpdesk')).toEqual(before.helpdesk);
  });

  it("lists the team's agent to the group's member only; the open agent to both", async () => {
    const member = await step('GET /api/models as the member', () => modelIds(MEMBER));
    const outsider = await step('GET /api/models as the outsider', () => modelIds(OUTSIDER));
    expect(member).toEqual(['helpdesk', 'kagent_agents.helpdesk', 'kagent_agents.research/scout', 'research/scout']);
    expect(outsider).toEqual(['helpdesk', 'kagent_agents.helpdesk']);
  });
});

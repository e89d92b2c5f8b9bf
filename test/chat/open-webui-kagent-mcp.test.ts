import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { chatFixture, findOne } from '../pipe/open-webui-fixture';
import { choosePython } from '../pipe/python-prerequisites';

const ADMIN_KEY = { name: 'open-webui-admin', key: 'api-key' };

function withMcp(kagentMcp: Record<string, unknown> = {}) {
  const fixture = chatFixture();
  const openWebUi = fixture.openWebUi({ kagentMcp: { kagent: fixture.kagent, ...kagentMcp } });
  const files = fixture.render();
  const env = findOne(files, 'StatefulSet', 'open-webui').spec.template.spec.containers[0].env;
  const seeded = JSON.parse(env.find((e: any) => e.name === 'TOOL_SERVER_CONNECTIONS').value);
  return { fixture, openWebUi, files, seeded };
}

describe('Open WebUI kagentMcp: the connection', () => {
  it("seeds TOOL_SERVER_CONNECTIONS with kagent's controller /mcp, enabled, for every user, limited to list_agents and invoke_agent", () => {
    const { seeded, openWebUi } = withMcp();
    expect(seeded).toEqual([
      {
        type: 'mcp',
        url: 'http://kagent-controller.kagent:8083/mcp',
        path: '',
        auth_type: 'none',
        key: '',
        config: {
          enable: true,
          function_name_filter_list: 'list_agents,invoke_agent',
          access_grants: [{ principal_type: 'user', principal_id: '*', permission: 'read' }],
        },
        info: { id: 'kagent-agents', name: 'kagent agents', description: "List the platform's kagent agents and hand one a task (kagent controller MCP)" },
        // Open WebUI fills in the signed-in user per call: kagent keys the user's sessions by it.
        headers: { 'x-user-id': '{{USER_EMAIL}}' },
      },
    ]);
    expect(openWebUi.callsKagent).toBe(true);
    expect(openWebUi.kagentControllerPort).toBe(8083);
    expect(openWebUi.toolServerSync).toBeUndefined();
  });

  it("sends the user's id instead of the e-mail when identity says so", () => {
    expect(withMcp({ userIdFrom: 'id' }).seeded[0].headers).toEqual({ 'x-user-id': '{{USER_ID}}' });
  });

  it('restricts to groups and tools, with a custom id and name', () => {
    const { seeded } = withMcp({
      groupIds: ['grp-ops', 'grp-ops', 'grp-po'],
      tools: ['invoke_agent'],
      id: 'agents',
      name: 'Agents',
      description: 'Ask an agent',
    });
    expect(seeded[0].config).toEqual({
      enable: true,
      function_name_filter_list: 'invoke_agent',
      access_grants: [
        { principal_type: 'group', principal_id: 'grp-ops', permission: 'read' },
        { principal_type: 'group', principal_id: 'grp-po', permission: 'read' },
      ],
    });
    expect(seeded[0].info).toEqual({ id: 'agents', name: 'Agents', description: 'Ask an agent' });
  });

  it('is off by default', () => {
    const fixture = chatFixture();
    const openWebUi = fixture.openWebUi();
    expect(openWebUi.callsKagent).toBe(false);
    expect(openWebUi.kagentControllerPort).toBeUndefined();
    expect(() => findOne(fixture.render(), 'Job', 'sync-open-webui-tool-servers')).toThrow('found 0');
  });

  it('rejects unknown tools, no tools, an empty group list and a bad id', () => {
    expect(() => withMcp({ tools: ['create_agent_session'] })).toThrow(
      'openwebui/open-webui: kagentMcp.tools has unknown tool "create_agent_session"; kagent\'s controller offers list_agents, invoke_agent',
    );
    expect(() => withMcp({ tools: [] })).toThrow('openwebui/open-webui: kagentMcp.tools is empty');
    expect(() => withMcp({ groupIds: [] })).toThrow('openwebui/open-webui: kagentMcp.groupIds is empty, which would hide the tools from everyone but admins');
    expect(() => withMcp({ groupIds: [' '] })).toThrow('openwebui/open-webui: kagentMcp.groupIds has an empty id');
    expect(() => withMcp({ id: 'Kagent Agents' })).toThrow('openwebui/open-webui: kagentMcp.id "Kagent Agents" must be lowercase');
  });
});

describe('Open WebUI kagentMcp.sync: the PostSync Job', () => {
  it('ships the connection and the script in a ConfigMap, with the admin key by reference and labelled pods', () => {
    const { files, openWebUi, seeded } = withMcp({ sync: { adminApiKeySecret: ADMIN_KEY, podLabels: { 'platform.example/calls': 'open-webui' } } });
    const job = findOne(files, 'Job', 'sync-open-webui-tool-servers');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    const pod = job.spec.template;
    expect(pod.metadata.labels).toEqual({ 'platform.example/calls': 'open-webui', 'app.kubernetes.io/name': 'sync-open-webui-tool-servers' });
    expect(openWebUi.toolServerSync!.podLabels).toEqual(pod.metadata.labels);
    expect(pod.spec.containers[0].image).toBe('ghcr.io/open-webui/open-webui:v0.11.0');
    expect(pod.spec.containers[0].env).toEqual([
      { name: 'OPENWEBUI_URL', value: 'http://open-webui.open-webui.svc.cluster.local:8080' },
      { name: 'OPENWEBUI_API_KEY', valueFrom: { secretKeyRef: ADMIN_KEY } },
      { name: 'TOOL_SERVERS_FILE', value: '/sync/tool_servers.json' },
    ]);
    const configMap = findOne(files, 'ConfigMap', 'sync-open-webui-tool-servers');
    expect(JSON.parse(configMap.data['tool_servers.json'])).toEqual(seeded);
    expect(configMap.data['register_tool_servers.py']).toContain('ROUTE = "/api/v1/configs/tool_servers"');
  });

  it('labels the Pipe registration Job pod too', () => {
    const fixture = chatFixture();
    const pipe = fixture.pipe({ register: { adminApiKeySecret: ADMIN_KEY }, registrationPodLabels: { 'platform.example/calls': 'open-webui' } });
    const job = findOne(fixture.render(), 'Job', 'register-a2a-pipe');
    expect(job.spec.template.metadata.labels).toEqual({ 'platform.example/calls': 'open-webui', 'app.kubernetes.io/name': 'register-a2a-pipe' });
    expect(pipe.registrationPodLabels).toEqual(job.spec.template.metadata.labels);
  });
});

/**
 * Open WebUI's tool-server admin routes, as backend/open_webui/routers/configs.py defines them:
 * - GET  /api/v1/configs/tool_servers (get_tool_servers_config, admin) → {"TOOL_SERVER_CONNECTIONS": [...]}
 * - POST /api/v1/configs/tool_servers (set_tool_servers_config, admin), body ToolServersConfigForm
 *   {"TOOL_SERVER_CONNECTIONS": [ToolServerConnection]}: `url`, `path`, `auth_type`, `key`, `config` required
 *   (Optional without a default), `type` defaults to "openapi", `headers` to None, extra fields kept
 *   (model_config extra="allow"); stores `connection.model_dump()` and answers the stored list.
 * Admin check: utils/auth.py get_admin_user (401 without a valid token).
 */
function fakeOpenWebUi(adminKey: string) {
  const state = { connections: [] as Record<string, unknown>[], posts: 0 };
  const app = express();
  app.use(express.json());
  app.use((req, res, next) => (req.header('authorization') === `Bearer ${adminKey}` ? next() : void res.status(401).json({ detail: 'Not authenticated' })));
  app.get('/api/v1/configs/tool_servers', (_req, res) => void res.json({ TOOL_SERVER_CONNECTIONS: state.connections }));
  app.post('/api/v1/configs/tool_servers', (req, res) => {
    const list = req.body?.TOOL_SERVER_CONNECTIONS;
    if (!Array.isArray(list)) return void res.status(422).json({ detail: [{ loc: ['body', 'TOOL_SERVER_CONNECTIONS'], msg: 'Field required' }] });
    for (const [i, c] of list.entries()) {
      const missing = ['url', 'path', 'auth_type', 'key', 'config'].filter((f) => !(f in c));
      if (missing.length)
        return void res.status(422).json({ detail: missing.map((f) => ({ loc: ['body', 'TOOL_SERVER_CONNECTIONS', i, f], msg: 'Field required' })) });
    }
    state.posts++;
    state.connections = list.map((c: Record<string, unknown>) => ({ type: 'openapi', headers: null, ...c }));
    res.json({ TOOL_SERVER_CONNECTIONS: state.connections });
  });
  const server = app.listen(0, '127.0.0.1');
  return { state, server, url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A connection an admin added in the UI; the sync must leave it alone. */
const UI_CONNECTION = {
  type: 'openapi',
  url: 'http://mcpo.tools:8000/time',
  path: 'openapi.json',
  auth_type: 'bearer',
  headers: null,
  key: 'k',
  config: { enable: true, access_grants: [] },
  info: { id: 'time', name: 'Time', description: '' },
};

describe("register_tool_servers.py against Open WebUI's admin routes", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tool-servers-'));
  const owui = fakeOpenWebUi('admin-key');
  afterAll(() => {
    owui.server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const { files } = withMcp({ sync: { adminApiKeySecret: ADMIN_KEY } });
  const configMap = findOne(files, 'ConfigMap', 'sync-open-webui-tool-servers');
  const script = join(dir, 'register_tool_servers.py');
  const desiredFile = join(dir, 'tool_servers.json');
  writeFileSync(script, configMap.data['register_tool_servers.py']);
  writeFileSync(desiredFile, configMap.data['tool_servers.json']);
  const desired = JSON.parse(configMap.data['tool_servers.json']);

  function run(key = 'admin-key'): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve) => {
      const child = spawn(choosePython(), [script], {
        env: { ...process.env, OPENWEBUI_URL: owui.url(), OPENWEBUI_API_KEY: key, TOOL_SERVERS_FILE: desiredFile },
      });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });
  }

  beforeEach(() => {
    owui.state.posts = 0;
  });

  it("replaces an outdated copy of ours in place, keeps the admin's own connection, and a second run changes nothing", async () => {
    const outdated = { ...desired[0], url: 'http://kagent-controller.old:8083/mcp', headers: null };
    owui.state.connections = [outdated, UI_CONNECTION];
    const first = await run();
    expect(first.output.trim()).toBe('tool servers kagent-agents updated');
    expect(first.code).toBe(0);
    expect(owui.state.posts).toBe(1);
    expect(owui.state.connections).toEqual([{ headers: null, ...desired[0] }, UI_CONNECTION]);
    const stored = JSON.stringify(owui.state.connections);

    const second = await run();
    expect(second.output.trim()).toBe('tool servers kagent-agents unchanged');
    expect(owui.state.posts).toBe(1);
    expect(JSON.stringify(owui.state.connections)).toBe(stored);
  });

  it('appends ours to an empty list', async () => {
    owui.state.connections = [];
    expect((await run()).output.trim()).toBe('tool servers kagent-agents updated');
    expect(owui.state.connections).toEqual([{ headers: null, ...desired[0] }]);
  });

  it('fails with the HTTP status when the admin key is wrong, writing nothing', async () => {
    owui.state.connections = [UI_CONNECTION];
    const result = await run('wrong');
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('reading tool servers failed: HTTP 401');
    expect(owui.state.posts).toBe(0);
  });
});

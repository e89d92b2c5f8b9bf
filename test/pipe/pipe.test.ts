import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKagentLikeServer, type KagentLikeServer } from '../support/kagent-like-a2a-server';
import { chatFixture, findOne } from './open-webui-fixture';
import { pythonDecision } from './python-prerequisites';

const REPO_ROOT = join(__dirname, '..', '..');
const ADMIN_KEY = { name: 'open-webui-admin', key: 'api-key' };

describe('OpenWebUiPipe construct', () => {
  it('ships the pipe in a ConfigMap identical to dist/openwebui/a2a_pipe.py, with the kagent A2A base as valve default', () => {
    const fixture = chatFixture();
    fixture.pipe();
    const files = fixture.render();
    const configMap = findOne(files, 'ConfigMap', 'a2a-pipe-function');
    expect(configMap.metadata.namespace).toBe('open-webui');
    expect(configMap.data['a2a_pipe.py']).toBe(files.find((f) => f.path === 'openwebui/a2a_pipe.py')!.content);
    expect(configMap.data['a2a_pipe.py']).toContain('default="http://kagent-controller.kagent:8083/api/a2a"');
    expect(configMap.data['a2a_pipe.py']).toContain('default=300.0');
    expect(configMap.data['a2a_pipe.py']).toContain('USER_ID_FROM: Literal["email", "id"] = Field(default="email"');
    expect(configMap.data['a2a_pipe.py']).toContain('SERVICE_USER_ID: str = Field(default="open-webui-service"');
    expect(configMap.data['a2a_pipe.py']).not.toMatch(/__[A-Z_]+__/);
  });

  it('registers through a PostSync Job with the admin key by reference, when asked', () => {
    const fixture = chatFixture();
    fixture.pipe({ register: { adminApiKeySecret: ADMIN_KEY } });
    const files = fixture.render();
    const job = findOne(files, 'Job', 'register-a2a-pipe');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    const container = job.spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'OPENWEBUI_API_KEY', valueFrom: { secretKeyRef: ADMIN_KEY } });
    expect(container.env).toContainEqual({ name: 'OPENWEBUI_URL', value: 'http://open-webui.open-webui.svc.cluster.local:8080' });
    expect(container.command).toEqual(['python3', '/pipe/register_pipe.py']);
  });

  it('renders the identity settings as the valve defaults, and rejects a service id that could be an e-mail', () => {
    const fixture = chatFixture();
    fixture.pipe({ identity: { userIdFrom: 'id', serviceUserId: 'chat-service' } });
    const source = fixture.render().find((f) => f.path === 'openwebui/a2a_pipe.py')!.content;
    expect(source).toContain('USER_ID_FROM: Literal["email", "id"] = Field(default="id"');
    expect(source).toContain('SERVICE_USER_ID: str = Field(default="chat-service"');
    expect(() => chatFixture().pipe({ identity: { serviceUserId: 'svc@lab.example' } })).toThrow('openwebui/pipe: identity.serviceUserId must be 1–63 letters');
    expect(() => chatFixture().pipe({ identity: { userIdFrom: 'name' as never } })).toThrow(
      'openwebui/pipe: identity.userIdFrom must be one of email, id, got "name"',
    );
  });

  it('has no registration Job by default', () => {
    const fixture = chatFixture();
    fixture.pipe();
    expect(() => findOne(fixture.render(), 'Job', 'register-a2a-pipe')).toThrow('found 0');
  });

  it('rejects a function id that is not a lowercase Python identifier, and a non-positive timeout', () => {
    expect(() => chatFixture().pipe({ functionId: 'kagent-agents' })).toThrow(
      /openwebui\/pipe: functionId "kagent-agents" must be a lowercase Python identifier/,
    );
    expect(() => chatFixture().pipe({ timeoutSeconds: 0 })).toThrow(/openwebui\/pipe: timeoutSeconds must be positive, got 0/);
  });
});

/** Decided once per run: the interpreter and whether it has httpx, pydantic and httpx-sse (see python-prerequisites.ts). */
const python = pythonDecision();

function runPython(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(python.python, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe.each(['v0.3', 'negotiate', 'v1.0'] as const)('generated Open WebUI Pipe (Python unittest) against a %s kagent', (protocol) => {
  let server: KagentLikeServer | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    if (python.action !== 'run') return;
    server = await startKagentLikeServer(['kagent/jairix', 'kagent/azure-devops'], { protocol });
    dir = mkdtempSync(join(tmpdir(), 'a2a-pipe-'));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('passes streaming, echo/duplicate, chat-id, user-id, wire-version, background-task, cut-off, failure, tool-approval, allow-list and multi-line SSE tests', async (ctx) => {
    if (python.action === 'skip') {
      // One plain line in any reporter (a skip note alone shows only in verbose output), printed once.
      if (protocol === 'v0.3') process.stderr.write(`${python.reason}\n`);
      return ctx.skip(python.reason);
    }
    if (python.action === 'fail') throw Object.assign(new Error(python.reason), { stack: python.reason });
    // The Pipe exactly as synth writes it, from constructs composed here (not from dist/, which may be stale).
    const fixture = chatFixture();
    fixture.pipe();
    const pipeFile = join(dir!, 'a2a_pipe.py');
    writeFileSync(pipeFile, fixture.render().find((f) => f.path === 'openwebui/a2a_pipe.py')!.content);
    const { code, output } = await runPython(['test/pipe/test_a2a_pipe.py', '-v'], {
      A2A_TEST_URL: server!.url,
      A2A_TEST_PROTOCOL: protocol,
      PIPE_FILE: pipeFile,
      REGISTER_FILE: join(REPO_ROOT, 'src', 'chat', 'pipe', 'register_pipe.py'),
    });
    expect(output, output).toMatch(/Ran \d+ tests/);
    expect(output, output).not.toMatch(/skipped/);
    expect(code, output).toBe(0);
  });
});

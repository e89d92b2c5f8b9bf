import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKagentLikeServer, type KagentLikeServer } from '../support/kagent-like-a2a-server';
import { REFERENCE_CONFIG } from '../../src/config/reference-config';
import { DIST, REPO_ROOT, find, renderReference } from '../support/platform';

/** Debian's python3 carries python3-httpx and python3-pydantic (installed by .ci/run); a pyenv shim may not. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

let server: KagentLikeServer;
beforeAll(async () => {
  server = await startKagentLikeServer(['kagent/jairix', 'kagent/azure-devops']);
});
afterAll(() => server.close());

function runPython(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('OpenWebUiPipe construct', () => {
  it('ships the pipe in a ConfigMap and, when asked, a PostSync registration Job with the admin key by reference', () => {
    const files = renderReference({ ...REFERENCE_CONFIG, openWebUi: { ...REFERENCE_CONFIG.openWebUi, registerPipe: { adminApiKeySecret: { name: 'open-webui-admin', key: 'api-key' } } } });
    const configMap = find(files, 'ConfigMap', 'a2a-pipe-function', 'open-webui');
    expect(configMap.data['a2a_pipe.py']).toBe(files.find((f) => f.path === 'openwebui/a2a_pipe.py')!.content);
    expect(configMap.data['a2a_pipe.py']).toContain('default="http://kagent-controller.kagent:8083/api/a2a"');
    const job = find(files, 'Job', 'register-a2a-pipe', 'open-webui');
    expect(job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(job.spec.template.spec.containers[0].env).toContainEqual({ name: 'OPENWEBUI_API_KEY', valueFrom: { secretKeyRef: { name: 'open-webui-admin', key: 'api-key' } } });
    expect(files.find((f) => f.path === 'SECRETS.md')!.content).toContain('open-webui-admin');
  });

  it('has no registration Job by default', () => {
    expect(() => find(renderReference(), 'Job', 'register-a2a-pipe')).toThrow('expected one Job register-a2a-pipe, found 0');
  });
});

describe('generated Open WebUI Pipe (Python unittest)', () => {
  it('passes streaming, echo/duplicate, chat-id, background-task and failure tests against the A2A server', async () => {
    const { code, output } = await runPython(['test/pipe/test_a2a_pipe.py', '-v'], {
      A2A_TEST_URL: server.url,
      PIPE_FILE: join(DIST, 'openwebui', 'a2a_pipe.py'),
      REGISTER_FILE: join(REPO_ROOT, 'src', 'chat', 'pipe', 'register_pipe.py'),
    });
    expect(output, output).toMatch(/Ran 14 tests/);
    expect(code, output).toBe(0);
  });
});

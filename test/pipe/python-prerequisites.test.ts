import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INSTALL_COMMAND, PIPE_PYTHON_MODULES, PIP_REQUIREMENT, choosePython, decide, isCi, probeModules } from './python-prerequisites';

const REPO_ROOT = join(__dirname, '..', '..');

describe('decide (run, skip or fail the Python Pipe tests)', () => {
  const fix =
    'install them with: apt-get install python3-httpx python3-pydantic python3-pip && python3 -m pip install --break-system-packages --no-deps httpx-sse==0.4.3 ' +
    '(or set PYTHON to an interpreter that has httpx, pydantic and httpx_sse)';

  it('runs when nothing is missing, in CI or not', () => {
    expect(decide('/usr/bin/python3', false, { missing: [] })).toEqual({ action: 'run', python: '/usr/bin/python3' });
    expect(decide('/usr/bin/python3', true, { missing: [] })).toEqual({ action: 'run', python: '/usr/bin/python3' });
  });

  it('skips outside CI with one line naming the missing modules and the install command', () => {
    expect(decide('python3', false, { missing: ['httpx', 'pydantic'] })).toEqual({
      action: 'skip',
      python: 'python3',
      reason: `Python Pipe tests skipped: python3 lacks httpx, pydantic; ${fix}`,
    });
    expect(decide('python3', false, { missing: ['httpx'] })).toMatchObject({ action: 'skip', reason: expect.stringContaining('python3 lacks httpx;') });
  });

  it('fails in CI instead of skipping', () => {
    expect(decide('python3', true, { missing: ['pydantic'] })).toEqual({
      action: 'fail',
      python: 'python3',
      reason: `Python Pipe tests cannot run in CI: python3 lacks pydantic; ${fix}`,
    });
  });

  it('treats an interpreter that cannot start like a missing one: skip locally, fail in CI', () => {
    expect(decide('/nope/python3', false, { unusable: '/nope/python3 cannot be started (ENOENT)' })).toMatchObject({
      action: 'skip',
      reason: expect.stringContaining('/nope/python3 cannot be started (ENOENT)'),
    });
    expect(decide('/nope/python3', true, { unusable: '/nope/python3 cannot be started (ENOENT)' })).toMatchObject({ action: 'fail' });
  });

  it('names the Debian packages and the pip requirement .ci/run installs', () => {
    expect(INSTALL_COMMAND).toBe(
      'apt-get install python3-httpx python3-pydantic python3-pip && python3 -m pip install --break-system-packages --no-deps httpx-sse==0.4.3',
    );
  });

  it('pins httpx-sse to the version the Pipe asks Open WebUI to install (its frontmatter)', () => {
    const pipe = readFileSync(join(REPO_ROOT, 'src', 'chat', 'pipe', 'a2a_pipe.py'), 'utf8');
    const frontmatter = pipe.split('\n').slice(1, pipe.split('\n').indexOf('"""', 1));
    expect(frontmatter.filter((l) => l.startsWith('requirements:'))).toEqual([`requirements: ${PIP_REQUIREMENT}`]);
  });
});

describe('choosePython and isCi', () => {
  it("prefers PYTHON, then Debian's /usr/bin/python3, then python3 from PATH", () => {
    expect(choosePython({ PYTHON: '/opt/py/bin/python3' }, () => true)).toBe('/opt/py/bin/python3');
    expect(choosePython({ PYTHON: '  ' }, () => true)).toBe('/usr/bin/python3');
    expect(choosePython({}, (p) => p === '/usr/bin/python3')).toBe('/usr/bin/python3');
    expect(choosePython({}, () => false)).toBe('python3');
  });

  it('reads CI the way CI systems set it', () => {
    for (const value of ['true', '1', 'TRUE', 'yes']) expect(isCi({ CI: value })).toBe(true);
    for (const value of [undefined, '', '0', 'false', 'False']) expect(isCi({ CI: value })).toBe(false);
  });
});

/**
 * A real interpreter without httpx: the first `python3` on PATH that is not Debian's and cannot import httpx
 * (a pyenv shim on the development machines), else Debian's started with `-S` (no site-packages).
 */
function pythonWithoutHttpx(dir: string): string {
  const debian = choosePython({});
  const onPath = (process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'python3'));
  for (const candidate of onPath) {
    const real = spawnSync('sh', ['-c', `command -v "${candidate}"`], { encoding: 'utf8' }).stdout.trim();
    if (!real || safeRealpath(real) === safeRealpath(debian)) continue;
    if (spawnSync(real, ['-c', 'import httpx']).status !== 0) return real;
  }
  const wrapper = join(dir, 'python3-no-site');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${debian} -S "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Runs vitest on the Pipe tests in a child process, with this environment on top of ours. */
function vitestPipe(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(childEnv)) if (key.startsWith('VITEST') || env[key] === undefined) delete childEnv[key];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/pipe/pipe.test.ts'], {
      cwd: REPO_ROOT,
      env: childEnv,
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('with a real python3 that lacks httpx', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipe-python-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const python = pythonWithoutHttpx(dir);

  it('the probe reports exactly the modules the interpreter cannot import', () => {
    const expected = PIPE_PYTHON_MODULES.filter((m) => spawnSync(python, ['-c', `import ${m}`]).status !== 0);
    expect(expected).toContain('httpx');
    expect(probeModules(python)).toEqual({ missing: expected });
  });

  it('the probe reports an interpreter that does not exist as unusable', () => {
    expect(probeModules(join(dir, 'no-such-python'))).toEqual({ unusable: `${join(dir, 'no-such-python')} cannot be started (ENOENT)` });
  });

  it('npm test skips only the Python tests, with one line and no stack trace; the construct tests still run', async () => {
    const { code, output } = await vitestPipe({ PYTHON: python, CI: undefined });
    expect(code, output).toBe(0);
    const lines = output.split('\n').filter((l) => l.includes('Python Pipe tests'));
    expect(lines, output).toEqual([
      expect.stringMatching(/^Python Pipe tests skipped: .* lacks httpx.*; install them with: apt-get install python3-httpx python3-pydantic python3-pip && /),
    ]);
    expect(output).not.toMatch(/Traceback|^\s+at /m);
    expect(output).toMatch(/tests: 5 passed, 0 failed, 3 skipped/);
  }, 60_000);

  it('with CI=true the missing package is a failure naming it', async () => {
    const { code, output } = await vitestPipe({ PYTHON: python, CI: 'true' });
    expect(code, output).not.toBe(0);
    expect(output).toMatch(/Python Pipe tests cannot run in CI: .* lacks httpx/);
    expect(output).toMatch(/tests: 5 passed, 3 failed, 0 skipped/);
  }, 60_000);
});

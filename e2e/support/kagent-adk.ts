/**
 * kagent's Python agent runtime, `kagent-adk` from PyPI, in a virtualenv in a cache outside the clone: installed
 * on first use and reused after. The folder is keyed by the version, the Python version and the constraints file,
 * and appears whole or not at all: each run installs into its own staging folder and renames it into place, so two
 * runs that race both succeed (the loser drops its copy and uses the winner's) and an interrupted install leaves
 * nothing that looks installed.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const KAGENT_ADK_VERSION = '0.9.12';

/** Every package at the version kagent's lock file pins at v0.9.12 (pip alone cannot resolve kagent-adk 0.9.12). */
export const KAGENT_ADK_CONSTRAINTS = join(__dirname, `kagent-adk-${KAGENT_ADK_VERSION}-constraints.txt`);

/** A pip install that takes longer than this is stopped (cold: about 2 minutes here); under the e2e hook timeout. */
const INSTALL_TIMEOUT_MS = 12 * 60_000;
const MARKER = 'kagent-adk-ready.json';

export interface KagentAdk {
  /** The virtualenv's interpreter: run the agent with `python -m kagent.adk.cli static …` (the `kagent-adk` entry point). */
  readonly python: string;
  readonly venvDir: string;
  /** How long this call installed for; undefined when the cache was warm. */
  readonly installSeconds?: number;
}

/** Where the virtualenvs live: `AGENT_PLATFORM_KAGENT_ADK_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`. */
export function kagentAdkCacheRoot(): string {
  return (
    process.env.AGENT_PLATFORM_KAGENT_ADK_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agent-platform-cdk8s', `kagent-adk-${KAGENT_ADK_VERSION}`)
  );
}

/** The Python to build the virtualenv with: `KAGENT_ADK_PYTHON`, else `python3`. */
function basePython(): string {
  return process.env.KAGENT_ADK_PYTHON ?? 'python3';
}

/**
 * Why the virtualenv cannot be built here (no Python ≥ 3.11 — kagent-adk needs 3.10, but the constraints pin numpy
 * 2.3.2, the lock file's entry for 3.11 and later — or no `venv`/`pip` for it), or undefined when it can.
 * The message is one line.
 */
export function pythonProblem(): string | undefined {
  const python = basePython();
  const probe = spawnSync(
    python,
    ['-c', 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2]); sys.exit(0 if sys.version_info >= (3, 11) else 3)'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (probe.error) return `${python} not found (${probe.error.message}); the kagent-adk ${KAGENT_ADK_VERSION} test needs Python ≥ 3.11 with venv and pip`;
  if (probe.status === 3) return `${python} is Python ${probe.stdout.trim()}; the kagent-adk ${KAGENT_ADK_VERSION} constraints are resolved for Python ≥ 3.11`;
  if (probe.status !== 0) return `${python} has no venv/ensurepip module (${probe.stderr.trim().split('\n').pop()}); install python3-venv`;
  const pip = spawnSync(python, ['-m', 'pip', '--version'], { encoding: 'utf8', timeout: 30_000 });
  if (pip.status !== 0) return `${python} -m pip is not available (${(pip.stderr || pip.error?.message || '').trim().split('\n').pop()}); install pip`;
  return undefined;
}

function pythonVersion(python: string): string {
  const out = spawnSync(python, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`${python} does not run: ${out.stderr || out.error?.message}`);
  return out.stdout.trim();
}

function run(command: string, args: readonly string[], what: string): void {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    timeout: INSTALL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' },
  });
  if (result.status !== 0) {
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    throw new Error(`${what} failed (${why}):\n${(result.stderr || result.stdout || '').slice(-4000)}`);
  }
}

/** The virtualenv with `kagent-adk==0.9.12`, installed when the cache has none. */
export function ensureKagentAdk(options: { readonly log?: (line: string) => void } = {}): KagentAdk {
  const python = basePython();
  const version = pythonVersion(python);
  const constraints = readFileSync(KAGENT_ADK_CONSTRAINTS);
  const key = createHash('sha256').update(version).update('\0').update(constraints).digest('hex').slice(0, 12);
  const root = kagentAdkCacheRoot();
  const venvDir = join(root, `venv-py${version}-${key}`);
  const result = (installSeconds?: number): KagentAdk => ({ python: join(venvDir, 'bin', 'python'), venvDir, installSeconds });
  if (existsSync(join(venvDir, MARKER))) return result();

  mkdirSync(root, { recursive: true });
  if (existsSync(venvDir)) {
    // Not ours to reuse: only a finished install (with its marker) is ever renamed into place.
    const aside = `${venvDir}.broken-${process.pid}`;
    renameSync(venvDir, aside);
    rmSync(aside, { recursive: true, force: true });
  }
  const started = Date.now();
  const staging = `${venvDir}.installing-${process.pid}-${Date.now()}`;
  options.log?.(`installing kagent-adk==${KAGENT_ADK_VERSION} with Python ${version} into ${venvDir}`);
  try {
    run(python, ['-m', 'venv', staging], 'creating the virtualenv');
    // `python -m pip`, never bin/pip: the folder is renamed afterwards, and only the interpreter survives that.
    const stagedPython = join(staging, 'bin', 'python');
    run(stagedPython, ['-m', 'pip', 'install', '--quiet', '-c', KAGENT_ADK_CONSTRAINTS, `kagent-adk==${KAGENT_ADK_VERSION}`], 'pip install kagent-adk');
    run(stagedPython, ['-c', 'import kagent.adk.cli, mcp.server.fastmcp'], 'importing kagent.adk.cli');
    const seconds = (Date.now() - started) / 1000;
    writeFileSync(join(staging, MARKER), JSON.stringify({ kagentAdk: KAGENT_ADK_VERSION, python: version, key, installSeconds: seconds }) + '\n');
    try {
      renameSync(staging, venvDir);
    } catch (error) {
      // Another run finished first: use its copy.
      if (!existsSync(join(venvDir, MARKER))) throw error;
      rmSync(staging, { recursive: true, force: true });
      return result();
    }
    options.log?.(`installed kagent-adk in ${seconds.toFixed(0)} s`);
    return result(seconds);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Decides whether the Python Pipe tests can run here: they need an interpreter with httpx and pydantic (Open
 * WebUI's own dependencies) and httpx-sse (the Pipe's SSE parser, which Open WebUI installs from the Pipe's
 * `requirements:` frontmatter). On a developer machine without them the tests are skipped with one line saying
 * what to install; in CI (`CI=true`) a missing package is a failure, never a silent skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** The modules the generated Pipe and its tests import, beyond the standard library. */
export const PIPE_PYTHON_MODULES = ['httpx', 'pydantic', 'httpx_sse'] as const;

/** Debian bookworm packages: httpx and pydantic, and pip for httpx-sse, which bookworm does not package. */
export const APT_PACKAGES = ['python3-httpx', 'python3-pydantic', 'python3-pip'] as const;

/** httpx-sse as pip installs it: the version the Pipe's `requirements:` line pins (a test keeps them equal). */
export const PIP_REQUIREMENT = 'httpx-sse==0.4.3';

/** How to install the modules into Debian's interpreter (`.ci/run` runs the same). */
export const INSTALL_COMMAND = `apt-get install ${APT_PACKAGES.join(' ')} && python3 -m pip install --break-system-packages --no-deps ${PIP_REQUIREMENT}`;

/** What to do with the Python tests. */
export type PythonDecision =
  | { readonly action: 'run'; readonly python: string }
  | { readonly action: 'skip'; readonly python: string; readonly reason: string }
  | { readonly action: 'fail'; readonly python: string; readonly reason: string };

/** The probe's result: the interpreter could not start, or these modules are missing. */
export type ProbeResult = { readonly missing: readonly string[] } | { readonly unusable: string };

/**
 * The interpreter: `PYTHON` if set, else Debian's `/usr/bin/python3` (where apt installs the packages, unlike a
 * pyenv shim earlier on PATH), else `python3` from PATH.
 */
export function choosePython(env: NodeJS.ProcessEnv = process.env, exists: (path: string) => boolean = existsSync): string {
  if (env.PYTHON?.trim()) return env.PYTHON.trim();
  return exists('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** True when `CI` is set to anything but an empty string, `0` or `false` (the convention of most CI systems). */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== '0' && value !== 'false';
}

/** Imports each module in the interpreter and reports the ones that fail. */
export function probeModules(python: string, modules: readonly string[] = PIPE_PYTHON_MODULES): ProbeResult {
  const script = [
    'import importlib, json, sys',
    'missing = []',
    'for name in sys.argv[1:]:',
    '    try:',
    '        importlib.import_module(name)',
    '    except ImportError:',
    '        missing.append(name)',
    'print(json.dumps(missing))',
  ].join('\n');
  const result = spawnSync(python, ['-c', script, ...modules], { encoding: 'utf8', timeout: 20_000 });
  if (result.error) return { unusable: `${python} cannot be started (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})` };
  const lastLine = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || !lastLine.startsWith('['))
    return { unusable: `${python} exited with ${result.status}: ${result.stderr.trim().split('\n').pop() ?? ''}` };
  return { missing: JSON.parse(lastLine) as string[] };
}

/** Run, skip or fail, from whether this is CI and what the probe found. */
export function decide(python: string, ci: boolean, probe: ProbeResult): PythonDecision {
  const problem = 'unusable' in probe ? probe.unusable : probe.missing.length > 0 ? `${python} lacks ${probe.missing.join(', ')}` : undefined;
  if (!problem) return { action: 'run', python };
  const modules = `${PIPE_PYTHON_MODULES.slice(0, -1).join(', ')} and ${PIPE_PYTHON_MODULES.at(-1)}`;
  const fix = `install them with: ${INSTALL_COMMAND} (or set PYTHON to an interpreter that has ${modules})`;
  if (ci) return { action: 'fail', python, reason: `Python Pipe tests cannot run in CI: ${problem}; ${fix}` };
  return { action: 'skip', python, reason: `Python Pipe tests skipped: ${problem}; ${fix}` };
}

/** The decision for this process's environment. */
export function pythonDecision(env: NodeJS.ProcessEnv = process.env): PythonDecision {
  const python = choosePython(env);
  return decide(python, isCi(env), probeModules(python));
}

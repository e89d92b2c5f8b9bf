/**
 * The real Open WebUI from PyPI, for the end-to-end tier: installed once per version into a cache outside the
 * clone (`~/.cache/agent-platform-cdk8s/open-webui-<version>/`, reused when warm) without the packages that pull
 * CUDA torch and OCR/ML stacks (start-up does not import them), and started headless on 127.0.0.1.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Requirements of open-webui left out: torch through sentence-transformers/transformers/accelerate (7–10 GB),
 * faster-whisper (local speech), rapidocr and OpenCV (OCR), pandas/pyarrow and the Google API client. Open WebUI
 * imports them only for local embeddings, speech, OCR and document loaders, none of which start-up needs.
 */
export const LEFT_OUT = [
  'accelerate',
  'sentence-transformers',
  'transformers',
  'faster-whisper',
  'rapidocr',
  'opencv-python-headless',
  'pyarrow',
  'pandas',
  'google-api-python-client',
];
/** Imported by `open_webui/__init__.py` (the CLI) but not declared by the wheel: it came through a left-out package. */
const ADDED = ['typer'];

export interface OpenWebUiInstall {
  readonly version: string;
  readonly dir: string;
  readonly bin: string;
  /** Seconds the install took, or 0 when the cache was warm. */
  readonly installSeconds: number;
}

function run(command: string, args: readonly string[], log: (line: string) => void): void {
  // No uv cache: the venv is the cache (a second copy of every wheel would double the disk use).
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 900_000, env: { ...process.env, UV_NO_CACHE: '1' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}):\n${(result.stderr || result.stdout || '').slice(-3000)}`);
  }
  const last = (result.stderr || result.stdout || '').trim().split('\n').pop();
  if (last) log(`  ${last}`);
}

/** The cache folder: `AGENT_PLATFORM_OPEN_WEBUI_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`. */
export function openWebUiCacheDir(version: string): string {
  const root = process.env.AGENT_PLATFORM_OPEN_WEBUI_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agent-platform-cdk8s');
  return join(root, `open-webui-${version}`);
}

/** Installs open-webui==version (first run) or finds it (warm cache). Python 3.11 or 3.12 (`PYTHON`, else `python3`). */
export function ensureOpenWebUi(version: string, log: (line: string) => void = () => {}): OpenWebUiInstall {
  const dir = openWebUiCacheDir(version);
  const venv = join(dir, 'venv');
  const bin = join(venv, 'bin');
  const marker = join(dir, 'installed');
  const recipe = JSON.stringify({ version, LEFT_OUT, ADDED });
  if (existsSync(marker) && readFileSync(marker, 'utf8') === recipe) return { version, dir, bin, installSeconds: 0 };
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const python = process.env.PYTHON ?? 'python3';
  const minor = spawnSync(python, ['-c', 'import sys; print(sys.version_info[1] if sys.version_info[0] == 3 else 0)'], { encoding: 'utf8' }).stdout?.trim();
  if (minor !== '11' && minor !== '12') throw new Error(`open-webui ${version} needs Python 3.11 or 3.12; ${python} is 3.${minor} (set PYTHON)`);
  log(`installing open-webui ${version} into ${dir}`);
  run(python, ['-m', 'venv', venv], log);
  // uv resolves and installs the ~240 packages in seconds; pip takes minutes.
  run(join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', 'uv==0.13.9'], log);
  const uv = (args: string[]) => run(join(bin, 'uv'), ['pip', 'install', '--python', join(bin, 'python'), ...args], log);
  uv(['--no-deps', `open-webui==${version}`]);
  const site = join(venv, 'lib', `python3.${minor}`, 'site-packages');
  const info = readdirSync(site).find((name) => name === `open_webui-${version}.dist-info`);
  if (!info) throw new Error(`open-webui ${version} installed no open_webui-${version}.dist-info in ${site}`);
  const requirements = readFileSync(join(site, info, 'METADATA'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Requires-Dist: ') && !line.includes('extra =='))
    .map((line) => line.slice('Requires-Dist: '.length).trim())
    .filter((req) => !LEFT_OUT.includes(req.split(/[[=<>~! ;]/)[0].toLowerCase()));
  writeFileSync(join(dir, 'requirements.txt'), `${[...requirements, ...ADDED].join('\n')}\n`);
  uv(['-r', join(dir, 'requirements.txt')]);
  writeFileSync(marker, recipe);
  return { version, dir, bin, installSeconds: (Date.now() - started) / 1000 };
}

export interface RunningOpenWebUi {
  readonly url: string;
  readonly log: string;
  stop(): Promise<void>;
}

export interface StartOpenWebUiOptions {
  readonly install: OpenWebUiInstall;
  readonly port: number;
  readonly dataDir: string;
  readonly admin: { readonly email: string; readonly password: string };
  /** The OpenAI connection (the bridge, or its stand-in). */
  readonly openAi: { readonly baseUrl: string; readonly key: string };
  readonly timeoutMs?: number;
  /**
   * Open WebUI is killed after this long, whatever the test does.
   * @default 15 minutes
   */
  readonly deadlineMs?: number;
}

/** Starts `open-webui serve` headless on 127.0.0.1 with a fresh data folder, and waits for `/health`. */
export async function startOpenWebUi(options: StartOpenWebUiOptions): Promise<RunningOpenWebUi> {
  mkdirSync(options.dataDir, { recursive: true });
  const log = join(options.dataDir, 'serve.log');
  const out = createWriteStream(log);
  const child: ChildProcess = spawn(join(options.install.bin, 'open-webui'), ['serve', '--host', '127.0.0.1', '--port', String(options.port)], {
    cwd: options.dataDir,
    detached: true,
    env: {
      PATH: `${options.install.bin}:${process.env.PATH}`,
      HOME: options.dataDir,
      DATA_DIR: options.dataDir,
      WEBUI_SECRET_KEY: 'e2e-secret-key-not-for-production',
      WEBUI_ADMIN_EMAIL: options.admin.email,
      WEBUI_ADMIN_PASSWORD: options.admin.password,
      WEBUI_ADMIN_NAME: 'Admin',
      OFFLINE_MODE: 'true',
      HF_HUB_OFFLINE: '1',
      ENABLE_OLLAMA_API: 'false',
      ENABLE_OPENAI_API: 'true',
      OPENAI_API_BASE_URLS: options.openAi.baseUrl,
      OPENAI_API_KEYS: options.openAi.key,
      RAG_EMBEDDING_ENGINE: 'openai',
      ENABLE_API_KEYS: 'true',
      ENABLE_VERSION_UPDATE_CHECK: 'false',
      ANONYMIZED_TELEMETRY: 'false',
      DO_NOT_TRACK: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out);
  child.stderr!.pipe(out);
  let exited: number | null | undefined;
  // Bounded in time, and gone with the test process even if it dies before calling stop().
  const killGroup = () => exited === undefined && child.pid !== undefined && process.kill(-child.pid, 'SIGKILL');
  const hardDeadline = setTimeout(killGroup, options.deadlineMs ?? 15 * 60_000);
  hardDeadline.unref();
  process.once('exit', killGroup);
  child.on('exit', (code) => {
    exited = code;
    clearTimeout(hardDeadline);
    process.off('exit', killGroup);
  });
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (exited !== undefined || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    process.kill(-child.pid, 'SIGTERM');
    const timer = setTimeout(() => exited === undefined && process.kill(-child.pid!, 'SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 180_000);
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`open-webui exited (${exited}) before it was up; log: ${log}\n${readFileSync(log, 'utf8').slice(-3000)}`);
    const up = await fetch(`${url}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) return { url, log, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`open-webui was not up within ${(options.timeoutMs ?? 180_000) / 1000} s; log: ${log}`);
}

/**
 * A stand-in for the A2A bridge (not the bridge): on 127.0.0.1 it lists the given model ids at `GET /v1/models`
 * for callers with the key, as the bridge does, and answers nothing else.
 */
export async function startBridgeStandIn(modelIds: readonly string[], key: string): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${key}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"invalid_api_key"}}');
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/models') {
      const data = modelIds.map((id) => ({ id, object: 'model', created: 0, owned_by: 'bridge-stand-in' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/v1`, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A free port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

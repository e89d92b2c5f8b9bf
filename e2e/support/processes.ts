/**
 * Child processes for an end-to-end test: each in its own process group (so a wrapper such as `npx` and what it
 * starts stop together), with its output kept for the report, a hard deadline after which it is killed, and a
 * stop that is safe to call twice. Also: free loopback ports, waiting for an HTTP endpoint, and checking from
 * /proc/net/tcp* that a port is bound to 127.0.0.1 only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export interface BoundedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  /** stdout and stderr, interleaved, as text. */
  output(): string;
  /** Set once it has exited: the code, or the signal. */
  readonly exit: { code?: number | null; signal?: NodeJS.Signals | null } | undefined;
  /** SIGTERM to the group, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<BoundedProcess>();
process.once('exit', () => {
  // Last resort (the test runner died between start and stop): no group outlives the test.
  for (const p of running) killGroup(p.child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `command`; it is killed after `deadlineMs` whatever happens. */
export function startBounded(
  name: string,
  command: string,
  args: readonly string[],
  options: { readonly env?: NodeJS.ProcessEnv; readonly cwd?: string; readonly deadlineMs: number },
): BoundedProcess {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const keep = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (text.length > 2_000_000) text = text.slice(-1_000_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exit: BoundedProcess['exit'];
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    });
    child.once('error', (error) => {
      text += `\n[spawn error] ${error.message}\n`;
      exit = { code: null, signal: null };
      resolve();
    });
  });
  const deadline = setTimeout(() => {
    text += `\n[killed: still running after ${options.deadlineMs / 1000} s]\n`;
    killGroup(child, 'SIGKILL');
  }, options.deadlineMs);
  deadline.unref();
  const proc: BoundedProcess = {
    name,
    child,
    output: () => text,
    get exit() {
      return exit;
    },
    stop: async (graceMs = 5_000) => {
      clearTimeout(deadline);
      if (exit === undefined) {
        killGroup(child, 'SIGTERM');
        const hard = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(hard);
      }
      // Whatever the leader left behind in its group.
      killGroup(child, 'SIGKILL');
      running.delete(proc);
    },
  };
  running.add(proc);
  return proc;
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `url` until it answers 2xx; fails early when `proc` exits, and after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs: number, proc?: BoundedProcess): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    if (proc?.exit) throw new Error(`${proc.name} exited (${JSON.stringify(proc.exit)}) before ${url} answered:\n${proc.output().slice(-4000)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s (${last})${proc ? `:\n${proc.output().slice(-4000)}` : ''}`);
}

/**
 * The local addresses that listen on `port` (from /proc/net/tcp and tcp6), e.g. `['127.0.0.1']`; undefined
 * where /proc has no such files.
 */
export function listeningAddresses(port: number): string[] | undefined {
  const files = ['/proc/net/tcp', '/proc/net/tcp6'].filter((f) => existsSync(f));
  if (files.length === 0) return undefined;
  const found: string[] = [];
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 4 || fields[3] !== '0A') continue; // 0A = LISTEN
      const [hexAddr, hexPort] = fields[1].split(':');
      if (parseInt(hexPort, 16) !== port) continue;
      found.push(hexAddr.length === 8 ? ipv4(hexAddr) : ipv6(hexAddr));
    }
  }
  return found;
}

function ipv4(hex: string): string {
  // Little-endian on the machines this runs on.
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

function ipv6(hex: string): string {
  // Four little-endian 32-bit words.
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const word = hex.slice(i, i + 8);
    const be = [6, 4, 2, 0].map((j) => word.slice(j, j + 2)).join('');
    words.push(be.slice(0, 4), be.slice(4, 8));
  }
  const text = words.map((w) => parseInt(w, 16).toString(16)).join(':');
  return text === '0:0:0:0:0:0:0:0' ? '::' : text === '0:0:0:0:0:0:0:1' ? '::1' : text;
}

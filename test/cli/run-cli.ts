/**
 * Runs `agent-platform-cdk8s` from source as a user runs the installed one: its own process, a working
 * directory, arguments; the packed bin is run by test/package/consumer.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

export const REPO_ROOT = join(__dirname, '..', '..');
const TSX = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = join(REPO_ROOT, 'src', 'cli', 'main.ts');

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): CliRun {
  const run = spawnSync(process.execPath, [TSX, CLI, ...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** No output holds a stack frame ("    at f (file:1:2)"): errors are their message. */
export function expectNoStackTrace(...runs: CliRun[]): void {
  for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
}

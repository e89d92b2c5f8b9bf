/** Timing helpers for the benchmark: medians of runs measured side by side. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';

export interface Sample {
  readonly ms: number;
  readonly stderr: string;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The `p`-th percentile (nearest rank), e.g. `percentile(xs, 99)`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p99: number;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), p99: percentile(values, 99) };
}

/**
 * Runs a command once, failing loudly if it fails. Dirty pages of earlier runs are flushed first (`sync`, not
 * timed): a run that wrote 12,000 files would otherwise have the kernel write them back during the next one.
 */
export function timeCommand(command: string, args: readonly string[], options: SpawnSyncOptions = {}): Sample {
  spawnSync('sync');
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return { ms, stderr: String(result.stderr) };
}

/**
 * Runs each command `rounds` times, interleaved (a, b, a, b, …) so that machine noise hits all of them
 * alike, after one warm-up run each.
 */
export function interleave(commands: ReadonlyArray<() => Sample>, rounds: number): Sample[][] {
  commands.forEach((run) => run());
  const samples: Sample[][] = commands.map(() => []);
  for (let r = 0; r < rounds; r++) commands.forEach((run, i) => samples[i].push(run()));
  return samples;
}

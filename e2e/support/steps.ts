/**
 * One line per step of the end-to-end tier with its time, so a slow or failing run says where it spent its time:
 * `[e2e] homelab: sync 97 objects … 2.1 s`.
 */
import { join } from 'node:path';

/** Where the tier writes its report, logs of failed runs and screenshots: `E2E_OUT`, else `.e2e-out/` (ignored by git). */
export const E2E_OUT = process.env.E2E_OUT ?? join(__dirname, '..', '..', '.e2e-out');

export function stepLine(text: string): void {
  process.stdout.write(`[e2e] ${text}\n`);
}

/** Runs and times a step; the line is printed whether it passes or fails. */
export async function step<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const started = Date.now();
  try {
    const result = await run();
    stepLine(`${name} … ${seconds(started)}`);
    return result;
  } catch (error) {
    stepLine(`${name} … FAILED after ${seconds(started)}`);
    throw error;
  }
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

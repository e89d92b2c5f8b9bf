import { resolve } from 'node:path';
import type { PublishSummary } from './publish';

/**
 * What `agent-platform-cdk8s synth` shares with the app it runs in its own process: where to publish when the
 * app does not say, and what each publish did (for the summary it prints). A global under a registered symbol,
 * because the app may load its own copy of this module (a bundled app, a second install of the package).
 */
const SESSION = Symbol.for('agent-platform-cdk8s.synth-session');

export interface SynthSession {
  /** Absolute; used by apps that name no `distDir`. */
  readonly distDir: string;
  readonly published: PublishSummary[];
}

type WithSession = { [SESSION]?: SynthSession };

/** Starts collecting what the app about to run publishes. */
export function beginSynthSession(distDir: string): SynthSession {
  const session: SynthSession = { distDir: resolve(distDir), published: [] };
  (globalThis as WithSession)[SESSION] = session;
  return session;
}

/** Where an app publishes that names no `distDir`: the CLI's `--out`, else `dist/` of the working directory. */
export function defaultDistDir(): string {
  return (globalThis as WithSession)[SESSION]?.distDir ?? resolve('dist');
}

/** Tells the CLI, if it runs this app, what a publish did. */
export function announcePublished(summary: PublishSummary): void {
  (globalThis as WithSession)[SESSION]?.published.push(summary);
}

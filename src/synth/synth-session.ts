import { resolve } from 'node:path';

/**
 * What `agent-platform-cdk8s synth` shares with the app it runs in its own process: where to publish when the
 * app does not say, and what each publish did (for the summary it prints). A global under a registered symbol,
 * because the app may load its own copy of this module (a bundled app, a second install of the package).
 */
const SESSION = Symbol.for('agent-platform-cdk8s.synth-session');

/** What a publish did to its folder (counted while comparing, so it costs no second pass over the files). */
export interface PublishSummary {
  /** The published folder (absolute). */
  readonly distDir: string;
  /** Files in the published tree. */
  readonly files: number;
  /** Files that were not there before. */
  readonly added: number;
  /** Files that were there with other bytes. */
  readonly changed: number;
  /** Files that already held these bytes. */
  readonly unchanged: number;
  /** Files of the previous tree that are gone. */
  readonly removed: number;
}

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

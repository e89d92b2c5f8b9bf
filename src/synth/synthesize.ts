import { resolve } from 'node:path';
import type { App } from 'cdk8s';
import { publish } from './publish';
import { renderTree } from './render-tree';

export interface SynthesizeOptions {
  /**
   * Where the tree is published.
   * @default - `dist/` in the current working directory (your project, where `cdk8s synth` runs)
   */
  readonly distDir?: string;
  /** @default - `CDK8S_OUTDIR` when run by `cdk8s synth`, else none */
  readonly stagingDir?: string;
}

/** Renders, validates and publishes the app. Throws (leaving the previous tree untouched) on any problem. */
export function synthesize(app: App, options: SynthesizeOptions = {}): void {
  publish(renderTree(app), {
    distDir: resolve(options.distDir ?? 'dist'),
    stagingDir: options.stagingDir ?? process.env.CDK8S_OUTDIR,
  });
}

/**
 * Entry point for `cdk8s synth`: builds the app, publishes it, and turns any error into a message on stderr
 * and exit code 1, so the CLI fails.
 */
export function runSynth(build: () => App, options: SynthesizeOptions = {}): void {
  reportingFailure(() => synthesize(build(), options));
}

/** Runs a synthesis for the CLI: an error becomes its message on stderr and exit code 1, not a stack trace. */
export function reportingFailure(synthesis: () => unknown): void {
  try {
    synthesis();
  } catch (error) {
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}

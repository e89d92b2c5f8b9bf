import { relative, resolve } from 'node:path';
import type { App } from 'cdk8s';
import { defaultDistDir } from './synth-session';
import { publish, type PublishSummary } from './publish';
import { cliOutputAdvice, guardAgainstCliOutput, overlaps } from './published-copy';
import { renderTree } from './render-tree';

export interface SynthesizeOptions {
  /**
   * Where the tree is published.
   * @default - `dist/` in the current working directory (your project, where `cdk8s synth` runs), or the
   * `--out` of `agent-platform-cdk8s synth`
   */
  readonly distDir?: string;
  /** @default - `CDK8S_OUTDIR` when run by `cdk8s synth`, else none */
  readonly stagingDir?: string;
}

/**
 * Renders, validates and publishes the app; returns what changed in the tree. Throws (leaving the previous tree
 * untouched) on any problem.
 */
export function synthesize(app: App, options: SynthesizeOptions = {}): PublishSummary {
  return publish(renderTree(app), {
    distDir: resolve(options.distDir ?? defaultDistDir()),
    stagingDir: options.stagingDir ?? process.env.CDK8S_OUTDIR,
  });
}

/**
 * Entry point for `cdk8s synth`: builds the app, publishes it, and turns any error into a message on stderr
 * and exit code 1, so the CLI fails.
 */
export function runSynth(build: () => App, options: SynthesizeOptions = {}): void {
  reportingFailure(options.distDir, () => synthesize(build(), options), options.stagingDir);
}

/**
 * Runs a synthesis for the CLI: an error becomes its message on stderr and exit code 1, not a stack trace.
 * First, before the app is even built, it undoes what `cdk8s synth` does when `cdk8s.yaml`'s output is the
 * published tree (the CLI deletes it before running the app): the last published copy is put back, so a failed
 * synth leaves `distDir` as it was.
 */
export function reportingFailure(distDir: string | undefined, synthesis: () => unknown, stagingDir = process.env.CDK8S_OUTDIR): void {
  const target = resolve(distDir ?? defaultDistDir());
  const guard = guardAgainstCliOutput(target, stagingDir);
  if (stagingDir && overlaps(stagingDir, target)) {
    const restored = guard === 'restored' ? ' It deleted the tree; the last published copy was put back.' : '';
    process.stderr.write(`warning: ${cliOutputAdvice(target, stagingDir)}${restored}\n`);
  }
  try {
    synthesis();
  } catch (error) {
    const lost =
      guard === 'lost'
        ? `\nThe cdk8s CLI deleted ${target} before the app ran and no published copy was found to restore; \`git checkout -- ${relativeOrAbsolute(target)}\` brings back the committed tree.`
        : '';
    process.stderr.write(`\n${error instanceof Error ? error.message : String(error)}${lost}\n`);
    process.exitCode = 1;
  }
}

function relativeOrAbsolute(dir: string): string {
  return relative(process.cwd(), dir) || '.';
}

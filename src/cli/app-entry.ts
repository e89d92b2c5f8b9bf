import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { usageError } from './cli-error';
import { shownPath } from './shown-path';

/** Runners a cdk8s.yaml `app` may start its file with (`npx tsx main.ts`, `node scripts/synth.cjs`, …). */
const RUNNERS = new Set(['npx', 'node', 'tsx', 'ts-node']);
const SCRIPT = /\.(ts|mts|cts|js|mjs|cjs)$/;

/**
 * The file `synth` runs: `--app`, else the file the `app` of cdk8s.yaml runs, else main.ts. An `app` that is
 * not one file (a build step, a pipe) is refused rather than guessed past: `--app` says which file it is.
 */
export function appEntry(appOption: string | undefined, cwd = process.cwd()): string {
  if (appOption !== undefined) return existing(resolve(cwd, appOption), '--app');
  const config = resolve(cwd, 'cdk8s.yaml');
  if (existsSync(config)) {
    const command = appCommand(config);
    const file = command === undefined ? undefined : fileOf(command);
    if (file === undefined) {
      throw usageError(
        `cdk8s.yaml's app (${JSON.stringify(command ?? null)}) does not name one file to run; pass it: \`agent-platform-cdk8s synth --app main.ts\``,
      );
    }
    return existing(resolve(cwd, file), 'the app of cdk8s.yaml');
  }
  return existing(resolve(cwd, 'main.ts'), 'the default app (no cdk8s.yaml here)');
}

function appCommand(config: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = yaml.load(readFileSync(config, 'utf8'));
  } catch (error) {
    throw usageError(`cdk8s.yaml is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const app = (parsed as { app?: unknown } | null)?.app;
  return typeof app === 'string' ? app : undefined;
}

/** `npx tsx main.ts` → `main.ts`; undefined unless the command is runners, their flags and one script. */
function fileOf(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  while (words.length > 1 && (RUNNERS.has(words[0]) || words[0].startsWith('-'))) words.shift();
  return words.length === 1 && SCRIPT.test(words[0]) ? words[0] : undefined;
}

function existing(file: string, what: string): string {
  if (!existsSync(file)) {
    throw usageError(`${what}: ${shownPath(file)} does not exist (run \`agent-platform-cdk8s init\` for a new app, or pass --app <file>)`);
  }
  return file;
}

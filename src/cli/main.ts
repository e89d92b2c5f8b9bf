/**
 * `agent-platform-cdk8s <command>`: init, synth, validate and verify without the cdk8s CLI (no upgrade check,
 * no output folder to delete, no stack trace after our message). Each command is loaded only when it runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/paths';
import { CliError, EXIT } from './cli-error';
import type { Command } from './command';

interface CommandEntry {
  /** How it is called, after `agent-platform-cdk8s`. */
  readonly usage: string;
  /** What it does, in one line of `--help`. */
  readonly summary: string;
  readonly load: () => Command;
}

const COMMANDS: Record<string, CommandEntry> = {
  init: {
    usage: 'init [dir]',
    summary: 'create a new app in dir (default .): main.ts, a prompt, cdk8s.yaml, tsconfig.json, package.json, .gitignore',
    load: () => (require('./init-command') as typeof import('./init-command')).initCommand,
  },
  synth: {
    usage: 'synth [--app <file>] [--out <dir>]',
    summary: 'run the app (main.ts, or the file cdk8s.yaml runs), validate its tree, publish it into dist/ in one rename',
    load: () => (require('./synth-command') as typeof import('./synth-command')).synthCommand,
  },
  validate: {
    usage: 'validate [dir]',
    summary: 'check a published tree (default dist/) offline: schemas, CEL rules, Pod Security, Helm values',
    load: () => (require('./validate-command') as typeof import('./validate-command')).validateCommand,
  },
  verify: {
    usage: 'verify [dir]',
    summary: 'apply a published tree (default dist/) to a real kube-apiserver built from pinned sources (needs Go)',
    load: () => (require('./verify-command') as typeof import('./verify-command')).verifyCommand,
  },
};

/** Runs the command line (without `node` and the script) and resolves to the exit code; prints no stack trace. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v') return print(version());
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return print(help());
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) return fail(new CliError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')} (see --help)`, EXIT.usage));
  if (args.includes('--help') || args.includes('-h')) return print(`agent-platform-cdk8s ${line(name)}`);
  try {
    return await command.load().run(args);
  } catch (error) {
    return fail(error);
  }
}

function help(): string {
  return [
    `agent-platform-cdk8s ${version()}: typed cdk8s constructs for an agent platform, published for Argo CD`,
    '',
    'usage: agent-platform-cdk8s <command> [options]',
    '',
    ...Object.keys(COMMANDS).map((name) => `  ${line(name)}`),
    '',
    '  --version   print the version of agent-platform-cdk8s',
    "  --help      print this help (`<command> --help`: that command's line)",
    '',
    'exit codes: 0 done, 1 invalid input or failed synthesis (nothing published), 2 usage or environment error',
  ].join('\n');
}

function line(name: string): string {
  return `${COMMANDS[name].usage.padEnd(36)}${COMMANDS[name].summary}`;
}

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

function print(text: string): number {
  process.stdout.write(`${text}\n`);
  return EXIT.ok;
}

/** The message alone; the stack only when AGENT_PLATFORM_DEBUG is set (a bug of this CLI, not of the input). */
function fail(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${process.env.AGENT_PLATFORM_DEBUG && error instanceof Error ? error.stack : message}\n`);
  return error instanceof CliError ? error.exitCode : EXIT.failed;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error';

/** One subcommand of `agent-platform-cdk8s` (its usage line is in main.ts, with the others). */
export interface Command {
  /** Runs it with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/**
 * The command's options and at most `maxPositionals` positionals, parsed strictly: an unknown option or a
 * missing value is a usage error (exit 2) that names the command.
 */
export function parseCommandArgs<T extends Options>(name: string, args: readonly string[], options: T, maxPositionals: number): Parsed<T> {
  let parsed: Parsed<T>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${name}: ${(error as Error).message.split(/\.\s/)[0]}; see \`agent-platform-cdk8s ${name} --help\``);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw usageError(`${name}: unexpected argument "${parsed.positionals[maxPositionals]}"; see \`agent-platform-cdk8s ${name} --help\``);
  }
  return parsed;
}

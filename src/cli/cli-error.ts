/**
 * Exit codes a CI can act on: 0 done, 1 the input is wrong (an invalid tree, a synthesis that failed, files
 * init would overwrite), 2 the command could not run (a usage mistake, a missing file or tool).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** An error the CLI prints as its message alone, then exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    public readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The command line or its environment is wrong: exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The input is wrong: exit 1. */
export function failure(message: string): CliError {
  return new CliError(message, EXIT.failed);
}

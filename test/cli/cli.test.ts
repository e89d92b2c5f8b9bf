/** The command line itself: version, help, and usage errors (exit 2) that name the command. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, expectNoStackTrace, runCli } from './run-cli';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe.concurrent('agent-platform-cdk8s', () => {
  it("--version prints this package's version", () => {
    const run = runCli(['--version'], REPO_ROOT);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${VERSION}\n`);
  });

  it('--help gives each command one line, and the exit codes', () => {
    const run = runCli(['--help'], REPO_ROOT);
    expect(run.status).toBe(0);
    const commandLines = run.stdout.split('\n').filter((line) => /^ {2}(init|synth|validate|verify) /.test(line));
    expect(commandLines.map((line) => line.trim().split(' ')[0])).toEqual(['init', 'synth', 'validate', 'verify']);
    expect(run.stdout).toContain('  synth [--app <file>] [--out <dir>]  run the app');
    expect(run.stdout).toContain('exit codes: 0 done, 1 invalid input or failed synthesis (nothing published), 2 usage or environment error');
    expect(runCli([], REPO_ROOT).stdout).toBe(run.stdout);
  });

  it("<command> --help prints that command's line", () => {
    const run = runCli(['validate', '--help'], REPO_ROOT);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^agent-platform-cdk8s validate \[dir\] +check a published tree/);
  });

  it.each([
    [['deploy'], 'unknown command "deploy"; commands: init, synth, validate, verify (see --help)'],
    [['synth', '--bogus'], "synth: Unknown option '--bogus'; see `agent-platform-cdk8s synth --help`"],
    [['synth', '--app'], "synth: Option '--app <value>' argument missing; see `agent-platform-cdk8s synth --help`"],
    [['validate', 'a', 'b'], 'validate: unexpected argument "b"; see `agent-platform-cdk8s validate --help`'],
  ])('%j is a usage error: exit 2 and one line', (args, message) => {
    const run = runCli(args, REPO_ROOT);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
    expect(run.stdout).toBe('');
    expectNoStackTrace(run);
  });
});

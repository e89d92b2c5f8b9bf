/**
 * The cdk8s CLI in this repository (node_modules/.bin/cdk8s, the launcher scripts/quiet-cdk8s-cli.cjs installs
 * on `npm ci`): no upgrade check, and its own version, not this package's.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './run-cli';

const LAUNCHER = join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s');

describe('npx cdk8s in this repository', () => {
  it("is the quiet launcher, and --version prints the cdk8s CLI's version", () => {
    expect(readFileSync(LAUNCHER, 'utf8')).toContain('Written by scripts/quiet-cdk8s-cli.cjs');
    const env: Record<string, string | undefined> = { ...process.env };
    delete env.CDK8S_CHECK_UPGRADE;
    const run = spawnSync(LAUNCHER, ['--version'], { cwd: REPO_ROOT, encoding: 'utf8', env, timeout: 60_000 });
    const cli = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'cdk8s-cli', 'package.json'), 'utf8')) as { version: string };
    expect(run.stdout).toBe(`${cli.version}\n`);
    expect(run.stderr).toBe('');
  });
});

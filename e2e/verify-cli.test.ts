/**
 * `agent-platform-cdk8s verify` as a user runs it: the package packed with `npm pack`, installed with the README's
 * line (offline, from a stand-in registry), `init` and `synth` of the README's library example, then `verify` of its
 * dist/ — the real API server's verdict for every object, one line each.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, readTree } from '../test/support/platform';
import { startRegistry, userShell, type Run } from '../test/support/stand-in-registry';
import { step } from './support/steps';

const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const TARBALL = `agent-platform-cdk8s-${pkg.version}.tgz`;
const work = mkdtempSync(join(tmpdir(), 'verify-cli-'));
const platform = join(work, 'platform');
let registry: { url: string; server: Server };
const sh = (command: string, cwd: string): Promise<Run> => userShell(registry.url, join(work, 'cache'))(command, cwd);

beforeAll(async () => {
  registry = await startRegistry();
  const packed = await step('verify-cli: npm pack', () => sh(`npm pack --silent --pack-destination ${JSON.stringify(work)}`, REPO_ROOT));
  expect(packed.status, packed.stderr).toBe(0);
  mkdirSync(platform, { recursive: true });
  copyFileSync(join(work, TARBALL), join(platform, TARBALL));
  const installed = await step('verify-cli: install the tarball', () => sh(`npm install ./${TARBALL} cdk8s constructs cdk8s-plus-29`, platform));
  expect(installed.status, installed.stderr).toBe(0);
  const made = await sh('npx agent-platform-cdk8s init my-lab && cd my-lab && npx agent-platform-cdk8s synth', platform);
  expect(made.status, made.stderr).toBe(0);
});

afterAll(async () => {
  await new Promise((closed) => registry?.server.close(closed));
  rmSync(work, { recursive: true, force: true });
});

describe('npx agent-platform-cdk8s verify', () => {
  it("reports the real server's verdict for every object of the library example", async () => {
    const lab = join(platform, 'my-lab');
    const run = await step('verify-cli: npx agent-platform-cdk8s verify dist', () => sh('npx agent-platform-cdk8s verify dist', lab));
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const objects = [...readTree(join(lab, 'dist')).entries()].filter(([path]) => path.endsWith('.yaml')).length;
    const verdictLines = run.stdout.split('\n').filter((line) => /^✓ /.test(line));
    expect(verdictLines.length).toBeGreaterThanOrEqual(objects);
    expect(run.stdout).toMatch(/^✓ .*Namespace docs-team/m);
    expect(run.stdout).toMatch(/^✓ .*Agent docs-team\/writer/m);
    expect(run.stdout).toMatch(/kube-apiserver v1\.36\.3/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
  });
});

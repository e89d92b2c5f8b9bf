/** `validate`: the offline checks of a published tree, for a CI job on the GitOps repository. */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, expectNoStackTrace, runCli } from './run-cli';

const work = mkdtempSync(join(tmpdir(), 'cli-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const env = { AGENT_PLATFORM_CACHE: join(work, '.cache'), AGENT_PLATFORM_VALIDATION_CACHE: 'off' };
const NAMESPACE = join(work, 'dist', 'namespaces', 'namespace-team.yaml');

beforeAll(() => {
  const published = runCli(['synth', '--app', join(REPO_ROOT, 'test', 'support', 'small-app.ts')], work, env);
  expect(published.status, published.stderr).toBe(0);
}, 60_000);

describe.sequential('agent-platform-cdk8s validate', () => {
  it('passes a published tree and prints the counts', () => {
    const run = runCli(['validate', 'dist'], work, env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe('validated 1 object in 1 file under dist/: no problems\n');
    expect(runCli(['validate'], work, env).stdout).toBe(run.stdout);
  });

  it('fails a field the schema does not declare, and YAML that does not parse: exit 1, one line each', () => {
    appendFileSync(NAMESPACE, 'spec:\n  color: blue\n');
    writeFileSync(join(work, 'dist', 'namespaces', 'broken.yaml'), 'kind: [\n');
    const run = runCli(['validate', 'dist'], work, env);
    expect(run.status).toBe(1);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe('2 problem(s) in dist/:');
    expect(lines[1]).toMatch(/^ {2}- dist\/namespaces\/broken\.yaml: not valid YAML: /);
    expect(lines[2]).toMatch(/^ {2}- dist\/namespaces\/namespace-team\.yaml: .*\/spec\/color/);
    expect(run.stdout).toBe('');
    expectNoStackTrace(run);
  });

  it('a folder that is not there: exit 2', () => {
    const run = runCli(['validate', 'gitops'], work, env);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('validate: gitops is not a folder\n');
  });
});

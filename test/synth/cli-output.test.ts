/**
 * `cdk8s synth` deletes its `output` folder before it runs the app. Whatever a user's cdk8s.yaml says about
 * `output` (nothing, as `cdk8s init` writes it; `dist`; `./dist/`; the documented staging folder), a synth through
 * the real CLI must publish `dist/`, and a failing one must leave it byte-identical, never a link to itself.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, readTree } from '../support/platform';

const work = mkdtempSync(join(tmpdir(), 'cli-output-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const APP = `${join(REPO_ROOT, 'node_modules', '.bin', 'tsx')} ${join(REPO_ROOT, 'test', 'support', 'small-app.ts')}`;
const VARIANTS: Record<string, string | undefined> = {
  'cdk8s init (no output line)': undefined,
  'output: dist': 'dist',
  'output: ./dist/': './dist/',
  'output: .cdk8s-staging': '.cdk8s-staging',
};

function project(name: string, output: string | undefined): string {
  const dir = join(work, name.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${APP}\n${output === undefined ? '' : `output: ${output}\n`}`);
  return dir;
}

function synth(dir: string, env: Record<string, string> = {}) {
  return spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', AGENT_PLATFORM_CACHE: join(dir, '.cache'), ...env },
  });
}

describe.concurrent.each(Object.entries(VARIANTS))('cdk8s.yaml with %s', (name, output) => {
  it('publishes dist/, and a failed synth (while building or while validating) leaves it byte-identical', () => {
    const dir = project(name, output);
    const dist = join(dir, 'dist');
    const first = synth(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(lstatSync(dist).isDirectory()).toBe(true);
    const published = readTree(dist);
    expect([...published.keys()]).toEqual(['namespaces/namespace-team.yaml']);

    for (const failure of ['build', 'validate']) {
      const failed = synth(dir, { SMALL_APP_FAIL: failure });
      expect(failed.status, `${failure}: ${failed.stdout}`).not.toBe(0);
      expect(failed.stderr).toMatch(failure === 'build' ? /name "Not_A_Name" is not a valid Kubernetes name/ : /Namespace team is also defined in dist\//);
      expect(lstatSync(dist).isDirectory(), `${failure}: dist/ is a real folder`).toBe(true);
      expect(readTree(dist), `${failure}: dist/ is unchanged`).toEqual(published);
    }

    const changed = synth(dir, { SMALL_APP_NAMESPACE: 'other' });
    expect(changed.status, changed.stderr).toBe(0);
    expect([...readTree(dist).keys()]).toEqual(['namespaces/namespace-other.yaml']);
    if (output === undefined || output.includes('dist')) {
      expect(changed.stderr).toContain('Fix: add the line "output: .cdk8s-staging" to cdk8s.yaml');
    } else {
      expect(changed.stderr).not.toContain('warning:');
      expect(lstatSync(join(dir, '.cdk8s-staging')).isSymbolicLink()).toBe(true);
    }
  }, 180_000);
});

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST, REPO_ROOT, readTree, renderReference } from '../support/platform';

const work = mkdtempSync(join(tmpdir(), 'synth-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('synthesis', () => {
  const files = renderReference();

  it('matches the committed dist/ byte for byte (run `npx cdk8s synth` and commit if this fails)', () => {
    const committed = readTree(DIST);
    const rendered = new Map(files.map((f) => [f.path, f.content]));
    expect([...committed.keys()].sort()).toEqual([...rendered.keys()].sort());
    for (const [path, content] of rendered) expect(committed.get(path), `dist/${path} is stale`).toBe(content);
  });

  it('is deterministic: two renders give identical trees', () => {
    expect(renderReference().map((f) => [f.path, f.content])).toEqual(files.map((f) => [f.path, f.content]));
  });

  it('writes one folder per Argo CD application plus the generated docs', () => {
    expect([...new Set(files.map((f) => f.path.split('/')[0]))].sort()).toEqual([
      'SECRETS.md',
      'SECURITY.md',
      'TOPOLOGY.md',
      'agents',
      'argocd',
      'bootstrap',
      'namespaces',
      'ollama',
      'openwebui',
      'searxng',
      'toolhive',
    ]);
  });

  it('gives every namespaced object its namespace and uses human names', () => {
    for (const object of files.flatMap((f) => f.objects)) {
      if (object.kind !== 'Namespace') expect(object.metadata?.namespace, `${object.kind} ${object.metadata?.name}`).toBeTruthy();
      expect(object.metadata?.name).not.toMatch(/-[0-9a-f]{8}$/);
    }
  });
});

describe('npx cdk8s synth', () => {
  it('fails on an app that throws, exits non-zero with the error, and leaves dist/ byte-identical', () => {
    const dist = join(work, 'dist');
    cpSync(DIST, dist, { recursive: true });
    const before = readTree(dist);
    const result = spawnSync('npx', ['cdk8s', 'synth', '--app', 'npx tsx test/support/failing-app.ts', '--output', join(work, 'staging')], {
      cwd: REPO_ROOT,
      env: { ...process.env, DIST_DIR: dist, CDK8S_CHECK_UPGRADE: 'false' },
      encoding: 'utf8',
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('namespaces/bad: name "Not_A_Name" is not a valid Kubernetes name; use at most 63 lowercase letters');
    expect(readTree(dist)).toEqual(before);
    expect(readdirSync(work).filter((f) => f.startsWith('dist.'))).toEqual([]);
  });

  it('publishes the reference platform through the CLI into a fresh folder', () => {
    const dist = join(work, 'fresh-dist');
    const result = spawnSync('npx', ['cdk8s', 'synth', '--app', 'npx tsx -e "require(\'./app/main\').main()"', '--output', join(work, 'staging2')], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', HOMELAB_DIST: dist },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(readTree(dist)).toEqual(readTree(DIST));
    expect(existsSync(join(work, 'staging2', 'agents', 'agent-jairix.yaml'))).toBe(true);
  });
});

describe('npm run validate', () => {
  it('validates the committed dist/ offline', () => {
    const out = execFileSync('npx', ['tsx', 'src/cli/main.ts', 'validate'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toMatch(/^validated \d+ objects in \d+ files under dist\/: no problems/m);
  });
});

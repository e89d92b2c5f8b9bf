import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTree, REPO_ROOT } from '../support/platform';

/**
 * The stale-cache case of issue 27: with warm caches, an edit of the validation code that rejects every custom
 * resource must fail the very next synth. The caches live outside node_modules (AGENT_PLATFORM_CACHE), which
 * also proves that cached validators resolve Ajv's runtime from the package, wherever the cache is.
 */
const work = mkdtempSync(join(tmpdir(), 'validation-key-'));
const project = join(work, 'project');
const dist = join(work, 'dist');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function copyProject(): void {
  for (const entry of ['src', 'app', 'bridge', 'imports', 'schemas', 'charts', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(join(REPO_ROOT, entry), join(project, entry), { recursive: true });
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
}

function synth() {
  return spawnSync(process.execPath, ['scripts/synth.cjs'], {
    cwd: project,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, HOMELAB_DIST: dist, AGENT_PLATFORM_CACHE: join(work, 'cache'), CDK8S_OUTDIR: '' },
  });
}

describe('validation caches keyed by the validation code', () => {
  it('fail the first synth after an edit that rejects every custom resource, with warm caches outside node_modules', () => {
    copyProject();
    const first = synth();
    expect(first.status, first.stderr).toBe(0);
    const again = synth();
    expect(again.status, again.stderr).toBe(0);
    const published = readTree(dist);

    // Every CRD schema wrapped in `not`: nothing can pass it.
    const strictSchema = join(project, 'src', 'validation', 'strict-crd-schema.ts');
    const source = readFileSync(strictSchema, 'utf8').replace('export function strictCrdSchema(', 'function permissiveCrdSchema(');
    expect(source).toContain('function permissiveCrdSchema(');
    rmSync(strictSchema);
    appendFileSync(
      strictSchema,
      `${source}\nexport function strictCrdSchema(...args: Parameters<typeof permissiveCrdSchema>): Schema {\n  return { not: permissiveCrdSchema(...args) };\n}\n`,
    );

    const edited = synth();
    expect(edited.status).toBe(1);
    expect(edited.stderr).toMatch(/dist\/agents\/agent-[a-z0-9-]+\.yaml: Agent kagent\/[a-z0-9-]+: \/: must NOT be valid/);
    expect(edited.stderr).toContain('synthesis failed, dist/ was left untouched');
    expect(readTree(dist)).toEqual(published);
  }, 600_000);
});

/**
 * Deleting an Argo CD Application must never delete a Namespace or a PersistentVolumeClaim: every one in every
 * tree the repository synthesizes (the reference dist/, the README's library example, the fleet example)
 * carries the annotation that keeps it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFleet } from '../../examples/fleet/main';
import { REPO_ROOT, readTree, renderReference } from '../support/platform';

const RETAIN = { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' };
const work = mkdtempSync(join(tmpdir(), 'retain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Manifest = { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> } };

function libraryExampleObjects(): Manifest[] {
  const run = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['--tsconfig', join(REPO_ROOT, 'tsconfig.json'), join(REPO_ROOT, 'examples', 'library', 'main.ts')], {
    cwd: work, encoding: 'utf8', timeout: 120_000,
  });
  expect(run.status, run.stderr).toBe(0);
  return [...readTree(join(work, 'dist')).entries()].filter(([path]) => path.endsWith('.yaml')).flatMap(([, text]) => [load(text) as Manifest]);
}

describe('retained storage and namespaces', () => {
  const trees: Record<string, Manifest[]> = {
    'the reference dist/': renderReference().flatMap((f) => f.objects as Manifest[]),
    'the fleet example': buildFleet({ bridgeBundle: 'console.log("bridge")' }).fleet.render().flatMap((f) => f.objects as Manifest[]),
    'the library example': libraryExampleObjects(),
  };

  it.each(Object.keys(trees))('every Namespace and PersistentVolumeClaim of %s is kept when its Application goes', (tree) => {
    const kept = trees[tree].filter((o) => o.kind === 'Namespace' || o.kind === 'PersistentVolumeClaim');
    expect(kept.length).toBeGreaterThan(0);
    for (const object of kept) expect(object.metadata?.annotations, `${object.kind} ${object.metadata?.name}`).toMatchObject(RETAIN);
  });

  it('covers the data of Ollama, Open WebUI and kagent\'s Postgres', () => {
    const claims = trees['the reference dist/'].filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata?.name).sort();
    expect(claims).toEqual(['kagent-postgres', 'ollama-data', 'open-webui-data']);
  });
});

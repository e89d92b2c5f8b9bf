/**
 * Deleting an Argo CD Application must never delete a Namespace or a PersistentVolumeClaim: every one in every
 * tree the repository synthesizes (the reference dist/, the README's library example, the fleet example)
 * carries the annotation that keeps it.
 */
import { describe, expect, it } from 'vitest';
import { buildFleet } from '../../examples/fleet/main';
import { synthesizeLibraryExample } from '../support/library-example';
import { renderReference } from '../support/platform';

const RETAIN = { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' };

type Manifest = { kind?: string; metadata?: { name?: string; annotations?: Record<string, string> } };

describe('retained storage and namespaces', () => {
  const trees: Record<string, Manifest[]> = {
    'the reference dist/': renderReference().flatMap((f) => f.objects as Manifest[]),
    'the fleet example': buildFleet({ bridgeBundle: 'console.log("bridge")' })
      .fleet.render()
      .flatMap((f) => f.objects as Manifest[]),
    'the library example': synthesizeLibraryExample().flatMap((f) => f.objects as Manifest[]),
  };

  it.each(Object.keys(trees))('every Namespace and PersistentVolumeClaim of %s is kept when its Application goes', (tree) => {
    const kept = trees[tree].filter((o) => o.kind === 'Namespace' || o.kind === 'PersistentVolumeClaim');
    expect(kept.length).toBeGreaterThan(0);
    for (const object of kept) expect(object.metadata?.annotations, `${object.kind} ${object.metadata?.name}`).toMatchObject(RETAIN);
  });

  it("covers the data of Ollama, Open WebUI and kagent's Postgres", () => {
    const claims = trees['the reference dist/']
      .filter((o) => o.kind === 'PersistentVolumeClaim')
      .map((o) => o.metadata?.name)
      .sort();
    expect(claims).toEqual(['kagent-postgres', 'ollama-data', 'open-webui-data']);
  });
});

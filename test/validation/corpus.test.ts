import { describe, expect, it } from 'vitest';
import { checkTree } from '../../src/synth/publish';
import type { RenderedFile } from '../../src/synth/render-tree';
import type { KubeObject } from '../../src/core/kube-object';
import { BROKEN_OBJECTS, CORPUS_NAMESPACES, VALID_CONTROLS } from './corpus/broken-objects';

/** A tree of the corpus namespaces and these objects, one file each, as synthesis would check it. */
function treeOf(objects: readonly KubeObject[]): RenderedFile[] {
  return [
    ...CORPUS_NAMESPACES.map((ns) => ({ path: `namespaces/namespace-${ns.metadata?.name}.yaml`, content: '', objects: [ns] })),
    ...objects.map((object) => ({ path: `corpus/${object.kind?.toLowerCase()}-${object.metadata?.name}.yaml`, content: '', objects: [object] })),
  ];
}

const corpusNamespaces = new Set(CORPUS_NAMESPACES.map((ns) => ns.metadata?.name));

describe('differential corpus', () => {
  it('has at least 30 broken objects with unique ids, each in a corpus namespace', () => {
    expect(BROKEN_OBJECTS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(BROKEN_OBJECTS.map((b) => b.id)).size).toBe(BROKEN_OBJECTS.length);
    for (const { id, object } of [...BROKEN_OBJECTS, ...VALID_CONTROLS.map((object) => ({ id: object.metadata?.name, object }))]) {
      expect(corpusNamespaces.has(object.metadata?.namespace), id).toBe(true);
    }
  });

  it('accepts the corpus namespaces and every valid control', () => {
    expect(checkTree(treeOf(VALID_CONTROLS))).toEqual([]);
  });

  // Exactly one problem: each object has one defect, so the server can reject it for nothing else.
  it.each(BROKEN_OBJECTS)('rejects $id offline with its one expected problem', ({ object, offline }) => {
    const problems = checkTree(treeOf([object]));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(offline);
  });
});

/**
 * The offline validation and the real API server agree. A corpus of deliberately broken objects (one defect each)
 * is rejected by both, its valid controls accepted by both; and across every tree the repository synthesizes —
 * the reference dist/, the README's library example, the fleet's clusters — the offline checks reject nothing the
 * server accepts and accept nothing it rejects. Any disagreement fails the tier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTree } from '../src/synth/publish';
import type { RenderedFile } from '../src/synth/render-tree';
import { syncApplications } from '../src/verify/argo-sync';
import type { KubeObject } from '../src/verify/kube-client';
import { TreeVerifier } from '../src/verify/verify-tree';
import { BROKEN_OBJECTS, CORPUS_NAMESPACES, VALID_CONTROLS } from '../test/validation/corpus/broken-objects';
import { pinnedCrds } from './support/cluster';
import { step, stepLine } from './support/steps';
import { synthesizeLibraryExample } from '../test/support/library-example';
import { clusterTrees } from './support/trees';

let verifier: TreeVerifier;

beforeAll(async () => {
  verifier = await step('differential: start the control plane', () => TreeVerifier.start());
  const crds = ['kagent-0.9.12', 'toolhive'].flatMap(pinnedCrds);
  const setup = await syncApplications(verifier.plane.client, [
    { name: 'corpus setup', wave: 0, objects: [...CORPUS_NAMESPACES, ...crds].map((object) => ({ object, source: '../shared/crds' })) },
  ]);
  expect(setup.filter((v) => !v.accepted)).toEqual([]);
});
afterAll(async () => {
  await verifier?.stop();
});

async function serverVerdict(object: KubeObject): Promise<{ accepted: boolean; message: string }> {
  const [verdict] = await syncApplications(verifier.plane.client, [{ name: 'corpus', wave: 0, objects: [{ object, source: 'corpus' }] }], {
    dryRun: () => true,
  });
  return { accepted: verdict.accepted, message: verdict.message ?? '' };
}

function offlineProblems(objects: readonly KubeObject[]): string[] {
  const files = [...CORPUS_NAMESPACES, ...objects].map(
    (object, i) => ({ path: `corpus/${i}-${object.kind}.yaml`, content: '', objects: [object] }) as unknown as RenderedFile,
  );
  return checkTree(files);
}

describe('the differential corpus', () => {
  it('is rejected by the real server, object by object, as it is offline', async () => {
    const disagreements: string[] = [];
    let rejectedByBoth = 0;
    for (const broken of BROKEN_OBJECTS) {
      const server = await serverVerdict(broken.object);
      const offline = offlineProblems([broken.object]);
      if (server.accepted) disagreements.push(`${broken.id}: the server accepts it, offline says ${offline.join('; ') || 'nothing'}`);
      else if (offline.length === 0) disagreements.push(`${broken.id}: offline accepts it, the server says ${server.message}`);
      else rejectedByBoth++;
    }
    stepLine(`differential: ${BROKEN_OBJECTS.length} broken objects, ${rejectedByBoth} rejected by both, ${disagreements.length} disagreements`);
    expect(disagreements).toEqual([]);
    expect(BROKEN_OBJECTS.length).toBeGreaterThanOrEqual(30);
  });

  it('has its valid controls accepted by both', async () => {
    expect(offlineProblems(VALID_CONTROLS)).toEqual([]);
    const refused = [];
    for (const control of VALID_CONTROLS) {
      const server = await serverVerdict(control);
      if (!server.accepted) refused.push(`${control.kind} ${control.metadata?.name}: ${server.message}`);
    }
    stepLine(`differential: ${VALID_CONTROLS.length} valid controls, ${VALID_CONTROLS.length - refused.length} accepted by the server`);
    expect(refused).toEqual([]);
  });
});

describe('every synthesized tree', () => {
  const trees = [...clusterTrees().map((t) => ({ name: t.name, files: t.files })), { name: 'library example', files: [] as readonly RenderedFile[] }];

  it.each(trees.map((t) => t.name))('%s: offline and the server agree that every object is valid', async (name) => {
    const tree = trees.find((t) => t.name === name)!;
    const files = name === 'library example' ? synthesizeLibraryExample() : tree.files;
    expect(checkTree(files)).toEqual([]);
    const report = await verifier.verify(files);
    const refused = report.verdicts.filter((v) => !v.accepted).map((v) => `${v.source}: ${v.kind} ${v.name}: ${v.message}`);
    stepLine(`differential: ${name}: ${report.verdicts.length} objects, offline 0 problems, server ${refused.length} refused`);
    expect(refused).toEqual([]);
    expect(report.verdicts.length).toBeGreaterThan(0);
  });
});

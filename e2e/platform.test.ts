/**
 * Every tree the repository synthesizes, synced into a real control plane the way Argo CD syncs it: the cluster's
 * prerequisites (the argocd namespace, Argo CD's and Cilium's CRDs), the root Application's folder, then every
 * child Application by wave — directory manifests and Helm charts rendered by real Helm — with server-side apply.
 * Each tree gets a fresh control plane.
 */
import { describe, expect, it } from 'vitest';
import { describeVerdict, syncApplications, type ObjectVerdict } from '../src/verify/argo-sync';
import { treeApplications } from '../src/verify/tree-applications';
import { clusterPrerequisites, useControlPlane } from './support/cluster';
import { renderForArgo } from './support/helm';
import { step } from './support/steps';
import { clusterTrees } from './support/trees';

for (const tree of clusterTrees()) {
  describe(`${tree.name} on a real API server`, () => {
    const cluster = useControlPlane(tree.name);
    let verdicts: ObjectVerdict[] = [];

    it('accepts every object of the tree and of every chart its Applications render', async () => {
      const applications = await step(`${tree.name}: render the Applications (Helm charts)`, () => treeApplications(tree.files, renderForArgo, { handApplied: tree.handApplied }));
      const prerequisites = { name: 'cluster prerequisites', wave: 0, objects: clusterPrerequisites().map((object) => ({ object, source: '../shared/crds' })) };
      verdicts = await step(`${tree.name}: install Argo CD's and Cilium's CRDs`, () => syncApplications(cluster.plane.client, [prerequisites]));
      verdicts.push(...(await step(`${tree.name}: sync ${applications.reduce((n, a) => n + a.objects.length, 0)} objects of ${applications.length} Applications`, () =>
        syncApplications(cluster.plane.client, applications))));
      const refused = verdicts.filter((v) => !v.accepted).map(describeVerdict);
      expect(refused, refused.join('\n')).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(tree.handApplied ? 3 : 100);
    });
  });
}

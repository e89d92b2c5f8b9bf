/**
 * Changes that break admission are caught by the real server, with its own message and the Argo CD Application
 * the object belongs to: a Pod template without `runAsNonRoot` in a restricted namespace, searxng's (the Deployment is
 * accepted, its Pods are refused: the controller-manager's FailedCreate event carries Pod Security's message), and a
 * field the Agent CRD does not have (refused at apply under strict field validation). (A misspelt Helm value is
 * caught by e2e/helm-values.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { describeVerdict, syncApplications } from '../src/verify/argo-sync';
import type { KubeObject } from '../src/verify/kube-client';
import { treeApplications } from '../src/verify/tree-applications';
import { describeWorkload, workloadPods } from '../src/verify/workload-pods';
import { clusterPrerequisites, useControlPlane } from './support/cluster';
import { helm } from './support/cluster';
import { step } from './support/steps';
import { clusterTrees } from './support/trees';

function brokenHomelab() {
  const tree = structuredClone(clusterTrees()[0]);
  const find = (kind: string, name: string) => tree.files.flatMap((f) => f.objects as any[]).find((o) => o.kind === kind && o.metadata.name === name);
  const searxng = find('Deployment', 'searxng').spec.template.spec;
  delete searxng.securityContext.runAsNonRoot;
  for (const container of searxng.containers) delete container.securityContext.runAsNonRoot;
  find('Agent', 'jairix').spec.declarative.temperatureBoost = 2;
  return tree;
}

describe('admission breaks on a real API server', () => {
  const cluster = useControlPlane('admission-breaks');

  it("names the server's message and the Application for each break", async () => {
    const tree = brokenHomelab();
    const applications = await treeApplications(tree.files, helm);
    const prerequisites = { name: 'cluster prerequisites', wave: 0, objects: clusterPrerequisites().map((object) => ({ object, source: '../shared/crds' })) };
    await syncApplications(cluster.plane.client, [prerequisites]);
    const verdicts = await step('admission-breaks: sync the broken homelab', () => syncApplications(cluster.plane.client, applications));

    const refused = verdicts.filter((v) => !v.accepted).map(describeVerdict);
    expect(refused).toEqual([
      expect.stringMatching(
        /^✗ agents: Agent kagent\/jairix \(dist\/agents\/agent-jairix\.yaml\): .*\.spec\.declarative\.temperatureBoost: field not declared in schema/,
      ),
    ]);

    const searxng = verdicts.find((v) => v.kind === 'Deployment' && v.name === 'searxng');
    expect(searxng?.application).toBe('searxng');
    expect(searxng?.warnings.join('\n')).toMatch(/would violate PodSecurity "restricted:latest": runAsNonRoot != true/);

    const workloads = await workloadPods(
      cluster.plane.client,
      applications.flatMap((a) => a.objects.map((o) => o.object as KubeObject)),
    );
    const failed = workloads.filter((w) => w.failures.length > 0).map(describeWorkload);
    expect(failed).toEqual([
      expect.stringMatching(/^Deployment searxng\/searxng: 0 of 1 Pods created: .*violates PodSecurity "restricted:latest": runAsNonRoot != true/),
    ]);
  });
});

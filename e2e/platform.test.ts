/**
 * Every tree the repository synthesizes, synced into a real control plane the way Argo CD syncs it: the cluster's
 * prerequisites (the argocd namespace, Argo CD's and Cilium's CRDs), the root Application's folder, then every
 * child Application by wave — directory manifests and Helm charts rendered by real Helm — with server-side apply.
 * Each tree gets a fresh control plane; every assertion is the real server's (or controller-manager's) answer.
 */
import { describe, expect, it } from 'vitest';
import { describeVerdict, syncApplications, type ObjectVerdict, type SyncedApplication } from '../src/verify/argo-sync';
import type { KubeObject } from '../src/verify/kube-client';
import { treeApplications } from '../src/verify/tree-applications';
import { describeWorkload, workloadPods } from '../src/verify/workload-pods';
import { clusterPrerequisites, useControlPlane } from './support/cluster';
import { helm } from './support/cluster';
import { canI, serviceAccountsOf } from './support/rbac';
import { step } from './support/steps';
import { clusterTrees } from './support/trees';

for (const tree of clusterTrees()) {
  describe(`${tree.name} on a real API server`, () => {
    const cluster = useControlPlane(tree.name);
    let applications: SyncedApplication[] = [];
    let verdicts: ObjectVerdict[] = [];
    const objects = () => applications.flatMap((a) => a.objects.map((o) => o.object));
    const applicationOf = (kind: string, namespace: string, name: string) =>
      applications.find((a) =>
        a.objects.some(({ object: o }) => o.kind === kind && o.metadata?.name === name && (o.metadata?.namespace ?? namespace) === namespace),
      )?.name;

    it('accepts every object of the tree and of every chart its Applications render', async () => {
      applications = await step(`${tree.name}: render the Applications (Helm charts)`, () =>
        treeApplications(tree.files, helm, { handApplied: tree.handApplied }),
      );
      const prerequisites = { name: 'cluster prerequisites', wave: 0, objects: clusterPrerequisites().map((object) => ({ object, source: '../shared/crds' })) };
      verdicts = await step(`${tree.name}: install Argo CD's and Cilium's CRDs`, () => syncApplications(cluster.plane.client, [prerequisites]));
      verdicts.push(
        ...(await step(`${tree.name}: sync ${objects().length} objects of ${applications.length} Applications`, () =>
          syncApplications(cluster.plane.client, applications),
        )),
      );
      const refused = verdicts.filter((v) => !v.accepted).map(describeVerdict);
      expect(refused, refused.join('\n')).toEqual([]);
      expect(verdicts.length).toBeGreaterThan(tree.handApplied ? 3 : 100);
    });

    it.skipIf(tree.handApplied)("gives every Deployment, StatefulSet and Job its Pods, admitted at its namespace's Pod Security level", async () => {
      const workloads = await step(`${tree.name}: Pods of every workload`, () => workloadPods(cluster.plane.client, objects()));
      expect(workloads.length).toBeGreaterThan(3);
      const missing = workloads
        .filter((w) => w.created !== w.expected || w.failures.length > 0)
        .map((w) => `${applicationOf(w.kind, w.namespace, w.name)}: ${describeWorkload(w)}`);
      expect(missing, missing.join('\n')).toEqual([]);
    });

    it.skipIf(tree.handApplied)("grants our ServiceAccounts and the teams' none, and kagent-tools read-only access without Secrets", () =>
      step(`${tree.name}: RBAC by SubjectAccessReview`, async () => {
        const client = cluster.plane.client;
        const ours = serviceAccountsOf(tree.files.flatMap((f) => f.objects as KubeObject[]));
        expect(ours.length).toBeGreaterThan(0);
        for (const account of ours) {
          for (const [verb, resource] of [
            ['get', 'pods'],
            ['list', 'secrets'],
            ['get', 'configmaps'],
            ['create', 'pods'],
            ['list', 'namespaces'],
          ] as const) {
            expect(
              await canI(client, account, { verb, resource, namespace: account.namespace }),
              `${account.namespace}/${account.name} ${verb} ${resource}`,
            ).toBe(false);
          }
        }
        // A team's workloads run as ServiceAccounts of its namespace: none reaches anything, there or elsewhere.
        const teamNamespaces = tree.files
          .flatMap((f) => f.objects as any[])
          .filter((o) => o.kind === 'ResourceQuota')
          .map((o) => String(o.metadata.namespace));
        for (const namespace of teamNamespaces) {
          for (const target of [namespace, 'kagent', 'default']) {
            for (const [verb, resource] of [
              ['get', 'pods'],
              ['list', 'secrets'],
              ['create', 'pods'],
            ] as const) {
              expect(
                await canI(client, { namespace, name: 'default' }, { verb, resource, namespace: target }),
                `${namespace}/default ${verb} ${resource} in ${target}`,
              ).toBe(false);
            }
          }
        }
        const tools = { namespace: 'kagent', name: 'kagent-tools' };
        const kagentTools = applications
          .flatMap((a) => a.objects)
          .some(({ object }) => object.kind === 'ServiceAccount' && object.metadata?.name === tools.name);
        if (!kagentTools) return;
        for (const resource of ['pods', 'deployments', 'services']) {
          for (const verb of ['get', 'list', 'watch'])
            expect(await canI(client, tools, { verb, resource, namespace: 'default' }), `kagent-tools ${verb} ${resource}`).toBe(true);
          for (const verb of ['create', 'update', 'patch', 'delete'])
            expect(await canI(client, tools, { verb, resource, namespace: 'default' }), `kagent-tools ${verb} ${resource}`).toBe(false);
        }
        for (const verb of ['get', 'list', 'watch'])
          expect(await canI(client, tools, { verb, resource: 'secrets', namespace: 'kagent' }), `kagent-tools ${verb} secrets`).toBe(false);
      }),
    );

    it.skipIf(!tree.name.startsWith('fleet-') || tree.handApplied)("admits a team's agent pods up to its ResourceQuota and refuses one more", () =>
      step(`${tree.name}: team quotas`, async () => {
        const quotas = tree.files.flatMap((f) => f.objects as any[]).filter((o) => o.kind === 'ResourceQuota');
        expect(quotas.length).toBeGreaterThan(0);
        for (const quota of quotas) {
          const namespace = quota.metadata.namespace;
          const allowed = Number(quota.spec.hard.pods);
          const created = [];
          for (let i = 0; i <= allowed; i++)
            created.push(await cluster.plane.client.request('POST', `/api/v1/namespaces/${namespace}/pods`, agentPod(namespace, `agent-${i}`)));
          expect(
            created.slice(0, allowed).map((r) => [r.status, r.body?.message]),
            namespace,
          ).toEqual(Array.from({ length: allowed }, () => [201, undefined]));
          const over = created[allowed];
          expect(over.status, namespace).toBe(403);
          expect(over.body.message).toMatch(new RegExp(`exceeded quota: ${quota.metadata.name}, requested: .*pods=1.*used: .*pods=${allowed}`));
          const admitted = created[0].body.spec.containers[0].resources;
          const limits = tree.files.flatMap((f) => f.objects as any[]).find((o) => o.kind === 'LimitRange' && o.metadata.namespace === namespace).spec
            .limits[0];
          expect(admitted, "the LimitRange fills in the agent's requests and limits").toEqual({ limits: limits.default, requests: limits.defaultRequest });
        }
      }),
    );
  });
}

/** A Pod shaped like the ones kagent's controller creates for an agent: restricted, no resources of its own. */
function agentPod(namespace: string, name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'kagent',
          image: 'cr.kagent.dev/kagent-dev/kagent/app:0.9.12',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
    },
  };
}

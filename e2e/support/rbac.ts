/** RBAC questions asked of the real server with SubjectAccessReview, as `kubectl auth can-i --as` asks them. */
import type { KubeClient, KubeObject } from '../../src/verify/kube-client';

export interface Account {
  readonly namespace: string;
  readonly name: string;
}

const API_GROUPS: Record<string, string> = { deployments: 'apps', statefulsets: 'apps', jobs: 'batch' };

export async function canI(client: KubeClient, account: Account, access: { verb: string; resource: string; namespace?: string }): Promise<boolean> {
  const review = await client.request('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: {
      user: `system:serviceaccount:${account.namespace}:${account.name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${account.namespace}`, 'system:authenticated'],
      resourceAttributes: { verb: access.verb, resource: access.resource, group: API_GROUPS[access.resource] ?? '', namespace: access.namespace },
    },
  });
  if (review.status !== 201) throw new Error(`SubjectAccessReview failed: ${review.status} ${JSON.stringify(review.body)}`);
  return review.body.status.allowed === true;
}

/** The ServiceAccounts a tree itself defines (not the charts'). */
export function serviceAccountsOf(objects: readonly KubeObject[]): Account[] {
  return objects.filter((o) => o.kind === 'ServiceAccount').map((o) => ({ namespace: String(o.metadata?.namespace), name: String(o.metadata?.name) }));
}

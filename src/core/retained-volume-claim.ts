import type { Construct } from 'constructs';
import { k8s } from './k8s';
import { RETAIN_ON_DELETE } from './retain';

export interface RetainedVolumeClaimProps {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Record<string, string>;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** A Kubernetes quantity. */
  readonly size: string;
}

/**
 * The one way a construct asks for storage: a ReadWriteOnce PersistentVolumeClaim that Argo CD never prunes or
 * deletes with its Application, because it holds what a re-sync cannot bring back (models, chat history, sessions).
 */
export function retainedVolumeClaim(scope: Construct, props: RetainedVolumeClaimProps): k8s.KubePersistentVolumeClaim {
  return new k8s.KubePersistentVolumeClaim(scope, 'Data', {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: RETAIN_ON_DELETE },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: props.storageClassName,
      resources: { requests: { storage: k8s.Quantity.fromString(props.size) } },
    },
  });
}

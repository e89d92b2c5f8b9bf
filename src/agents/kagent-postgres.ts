import type { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertPinnedImage } from '../core/image';
import { assertDnsLabel } from '../core/names';
import { containerProbes } from '../core/probes';
import { RequiredSecret } from '../core/required-secret';
import { assertResources, type ContainerResources } from '../core/resources';
import { assertSecretRef, type SecretKeyRef } from '../core/secret-ref';
import { VERSIONS } from '../core/versions';
import { emptyDirMount, WorkloadBuilder } from '../core/workload';

/**
 * The official Debian-based image (user `postgres` = uid/gid 999, docker-library/postgres 18/trixie). Its
 * alpine variant uses uid 70. It has no pgvector, so kagent's vector features stay off with it.
 */
export const KAGENT_POSTGRES_IMAGE = VERSIONS.images.postgres;

/** The image's `postgres` user and group. */
const POSTGRES_UID = 999;
const PORT = 5432;
/** Database and role kagent uses. */
const DATABASE = 'kagent';
/** The image's VOLUME; PGDATA (`18/docker` at 18+, `data` before) lies below it. */
const DATA_DIR = '/var/lib/postgresql';
const READY: k8s.Probe = { exec: { command: ['pg_isready', '-U', DATABASE, '-d', DATABASE] }, periodSeconds: 10, timeoutSeconds: 5 };

export interface KagentPostgresProps {
  /** kagent's namespace: the controller mounts `urlSecret` from there. */
  readonly namespace: NamespaceInput;
  /**
   * Name of the StatefulSet, Service and PVC.
   * @default 'kagent-postgres'
   */
  readonly name?: string;
  /**
   * Secret key holding the password of role `kagent` (`POSTGRES_PASSWORD`; read only when the volume is empty).
   * @default { name: 'kagent-postgres', key: 'password' }
   */
  readonly passwordSecret?: SecretKeyRef;
  /**
   * Secret key holding the full URL the kagent controller connects with,
   * `postgres://kagent:<password>@<name>.<namespace>.svc.cluster.local:5432/kagent?sslmode=disable`
   * (see {@link KagentPostgres.urlTemplate}); mounted into the controller as a file.
   * @default { name: 'kagent-postgres', key: 'url' }
   */
  readonly urlSecret?: SecretKeyRef;
  /**
   * Image, pinned.
   * @default KAGENT_POSTGRES_IMAGE
   */
  readonly image?: string;
  /**
   * Size of the data volume.
   * @default '5Gi'
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the data volume.
   * @default - the cluster default
   */
  readonly storageClassName?: string;
  /**
   * Resources of the postgres container.
   * @default - 100m / 256Mi requested, 1Gi memory limit
   */
  readonly resources?: ContainerResources;
}

/**
 * A single-replica PostgreSQL for kagent's sessions, owned by this project instead of the chart's bundled
 * dev/eval instance (whose password is the literal `kagent` in a chart-made Secret). Restricted Pod
 * Security (uid 999, RuntimeDefault seccomp, no capabilities, read-only root), a PVC, a ClusterIP
 * Service; the password and the connection URL come from a Secret the operator creates.
 */
export class KagentPostgres extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  /** Service port. */
  public readonly port = PORT;
  /** Database and role name. */
  public readonly database = DATABASE;
  /** In-cluster host of the Service. */
  public readonly host: string;
  /** Labels of the postgres pod (also the Service selector), for a network policy admitting only the controller. */
  public readonly podLabels: Record<string, string>;
  public readonly passwordSecret: SecretKeyRef;
  public readonly urlSecret: SecretKeyRef;
  public readonly resource: k8s.KubeStatefulSet;

  constructor(scope: Construct, id: string, props: KagentPostgresProps) {
    super(scope, id);
    this.name = props.name ?? 'kagent-postgres';
    assertDnsLabel(this, 'name', this.name);
    this.namespace = namespaceName(props.namespace);
    const image = props.image ?? KAGENT_POSTGRES_IMAGE;
    assertPinnedImage(this, 'image', image);
    this.passwordSecret = props.passwordSecret ?? { name: 'kagent-postgres', key: 'password' };
    this.urlSecret = props.urlSecret ?? { name: 'kagent-postgres', key: 'url' };
    assertSecretRef(this, 'passwordSecret', this.passwordSecret);
    assertSecretRef(this, 'urlSecret', this.urlSecret);
    if (this.passwordSecret.name === this.urlSecret.name && this.passwordSecret.key === this.urlSecret.key) {
      throw new Error(`${this.node.path}: passwordSecret and urlSecret name the same key "${this.urlSecret.key}"; the password and the URL need a key each`);
    }
    const resources = props.resources ?? { cpuRequest: '100m', memoryRequest: '256Mi', memoryLimit: '1Gi' };
    assertResources(this, 'resources', resources);
    const storageSize = props.storageSize ?? '5Gi';
    if (!/^\d+(\.\d+)?(Ki|Mi|Gi|Ti)$/.test(storageSize)) {
      throw new Error(`${this.node.path}: storageSize "${storageSize}" is not a volume size such as "5Gi"`);
    }
    this.host = `${this.name}.${this.namespace}.svc.cluster.local`;
    this.podLabels = { 'app.kubernetes.io/name': 'postgres', 'app.kubernetes.io/instance': this.name, 'app.kubernetes.io/part-of': 'kagent' };

    new RequiredSecret(this, 'Password', {
      namespace: this.namespace,
      ref: this.passwordSecret,
      purpose: 'PostgreSQL password of role kagent (KagentPostgres)',
    });
    new RequiredSecret(this, 'Url', {
      namespace: this.namespace,
      ref: this.urlSecret,
      purpose: `kagent database URL: ${this.urlTemplate} (the same password, URL-encoded)`,
    });

    const port = { name: 'postgres', port: PORT, targetByName: true };
    const workload = new WorkloadBuilder(this, { name: this.name, namespace: this.namespace, labels: this.podLabels, port });
    workload.serviceAccount();
    const data = workload.claim({ storageClassName: props.storageClassName, size: storageSize, mountPath: DATA_DIR });
    workload.service();
    this.resource = workload.statefulSet({
      user: POSTGRES_UID,
      // Postgres finishes a fast shutdown on SIGINT (the image's STOPSIGNAL) within this window.
      spec: { enableServiceLinks: false, terminationGracePeriodSeconds: 60 },
      container: {
        name: 'postgres',
        image,
        env: [
          { name: 'POSTGRES_DB', value: DATABASE },
          { name: 'POSTGRES_USER', value: DATABASE },
          { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: this.passwordSecret.name, key: this.passwordSecret.key } } },
        ],
        resources,
        probes: containerProbes(READY, { failureThreshold: 30 }),
        // The root filesystem is read-only: the socket directory and temp files need their own volumes.
        mounts: [data, emptyDirMount('run', '/var/run/postgresql', '16Mi'), emptyDirMount('tmp', '/tmp', '256Mi')],
      },
    });
  }

  /** The URL the `urlSecret` key must hold, with `<password>` standing for the password. */
  public get urlTemplate(): string {
    return `postgres://${DATABASE}:<password>@${this.host}:${PORT}/${DATABASE}?sslmode=disable`;
  }
}

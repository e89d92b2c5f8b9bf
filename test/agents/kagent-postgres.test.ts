import { describe, expect, it } from 'vitest';
import { KAGENT_POSTGRES_IMAGE, KagentPostgres, type KagentPostgresProps } from '../../src/agents/kagent-postgres';
import { renderSecrets } from '../../src/reports/secrets-inventory';
import { ManifestValidator } from '../../src/validation/manifest-validator';
import { podSecurityViolations } from '../../src/validation/pod-security-standard';
import { podsOf } from '../../src/validation/pod-templates';
import { synthChart, testScope } from '../support/platform';

function postgres(props: Partial<KagentPostgresProps> = {}) {
  const scope = testScope('kagent');
  const pg = new KagentPostgres(scope.chart, 'pg', { namespace: scope.ns, ...props });
  const objects = synthChart(scope.chart);
  const of = (kind: string) => objects.find((o) => o.kind === kind);
  return { ...scope, pg, objects, of };
}

describe('KagentPostgres', () => {
  it('renders a schema-valid StatefulSet, PVC, Service and ServiceAccount that pass restricted Pod Security', () => {
    const { objects, of } = postgres();
    expect(objects.map((o) => o.kind).sort()).toEqual(['Namespace', 'PersistentVolumeClaim', 'Service', 'ServiceAccount', 'StatefulSet']);
    const validator = new ManifestValidator();
    for (const object of objects) expect(validator.validate(object, 'test.yaml')).toEqual([]);
    const pods = podsOf(of('StatefulSet'));
    expect(pods).toHaveLength(1);
    expect(podSecurityViolations(pods[0].spec, 'restricted')).toEqual([]);
  });

  it('runs the official image as uid 999 with a read-only root, and reads the password from a Secret', () => {
    const { of } = postgres();
    const pod = of('StatefulSet').spec.template.spec;
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.image).toBe(KAGENT_POSTGRES_IMAGE);
    expect(KAGENT_POSTGRES_IMAGE).toBe('postgres:18.3-trixie');
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(container.env).toEqual([
      { name: 'POSTGRES_DB', value: 'kagent' },
      { name: 'POSTGRES_USER', value: 'kagent' },
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'kagent-postgres', key: 'password' } } },
    ]);
    expect(container.volumeMounts.map((m: any) => m.mountPath)).toEqual(['/var/lib/postgresql', '/var/run/postgresql', '/tmp']);
    expect(container.readinessProbe.exec.command).toEqual(['pg_isready', '-U', 'kagent', '-d', 'kagent']);
  });

  it('exposes port, host and pod labels that select its pods', () => {
    const { pg, of } = postgres();
    expect(pg.port).toBe(5432);
    expect(pg.host).toBe('kagent-postgres.kagent.svc.cluster.local');
    expect(of('Service').spec).toMatchObject({ selector: pg.podLabels, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres' }] });
    expect(of('StatefulSet').spec.template.metadata.labels).toEqual(pg.podLabels);
  });

  it('sizes the volume and picks its StorageClass', () => {
    expect(postgres().of('PersistentVolumeClaim').spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } });
    expect(postgres({ storageSize: '20Gi', storageClassName: 'longhorn' }).of('PersistentVolumeClaim').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'longhorn',
      resources: { requests: { storage: '20Gi' } },
    });
  });

  it('lists both Secret keys in SECRETS.md, the URL with its exact form, and renders no secret value', () => {
    const { app, objects } = postgres({ name: 'sessions', passwordSecret: { name: 'sessions-db', key: 'pw' }, urlSecret: { name: 'sessions-db', key: 'dsn' } });
    const secrets = renderSecrets(app);
    expect(secrets).toContain('| kagent | sessions-db | pw | PostgreSQL password of role kagent (KagentPostgres) |');
    expect(secrets).toContain(
      '| kagent | sessions-db | dsn | kagent database URL: postgres://kagent:<password>@sessions.kagent.svc.cluster.local:5432/kagent?sslmode=disable',
    );
    expect(secrets).toContain("kubectl -n kagent create secret generic sessions-db --from-literal=dsn='…' --from-literal=pw='…'");
    expect(objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it.each([
    [{ image: 'postgres:latest' }, 'image "postgres:latest" is not pinned'],
    [{ name: 'Kagent_PG' }, 'name'],
    [{ storageSize: 'lots' }, 'storageSize "lots" is not a volume size such as "5Gi"'],
    [{ passwordSecret: { name: 'pg', key: 'x' }, urlSecret: { name: 'pg', key: 'x' } }, 'passwordSecret and urlSecret name the same key "x"'],
    [{ resources: { cpuRequest: 'one', memoryRequest: '1Gi', memoryLimit: '1Gi' } }, 'resources.cpuRequest "one" is not a Kubernetes quantity'],
  ])('rejects %o', (props, message) => {
    expect(() => postgres(props as Partial<KagentPostgresProps>)).toThrow(`test/pg: ${message}`);
  });
});

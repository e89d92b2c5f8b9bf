import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { k8s } from '../../src/core/k8s';
import { containerProbes, httpGet } from '../../src/core/probes';
import { emptyDirMount, WorkloadBuilder, type WorkloadPod, type WorkloadProps } from '../../src/core/workload';

const LABELS = { 'app.kubernetes.io/name': 'web' };
const RESOURCES = { cpuRequest: '10m', memoryRequest: '32Mi', memoryLimit: '64Mi' };
const PROBES = containerProbes(httpGet('/healthz', 8080), { failureThreshold: 30, periodSeconds: 2 });

/** A builder in a fresh chart, and a function that synthesizes the chart and finds an object by kind. */
function build(port: WorkloadProps['port'] = { name: 'http', port: 8080 }) {
  const chart = Testing.chart();
  const workload = new WorkloadBuilder(chart, { name: 'web', namespace: 'apps', labels: LABELS, port });
  const objects = () => Testing.synth(chart);
  const of = (kind: string) => objects().find((o) => o.kind === kind);
  return { chart, workload, objects, of };
}

function pod(overrides: Partial<WorkloadPod> = {}): WorkloadPod {
  return { user: 1000, container: { name: 'web', image: 'web:1.0.0', resources: RESOURCES, probes: PROBES, mounts: [] }, ...overrides };
}

describe('WorkloadBuilder', () => {
  it('keeps every claim when Argo CD prunes or deletes the Application, and mounts it as volume data', () => {
    const { workload, of } = build();
    const data = workload.claim({ size: '5Gi', storageClassName: 'local-path', mountPath: '/data' });
    workload.statefulSet(pod({ container: { ...pod().container, mounts: [data] } }));
    const claim = of('PersistentVolumeClaim');
    expect(claim.metadata).toEqual({
      name: 'web',
      namespace: 'apps',
      labels: LABELS,
      annotations: { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' },
    });
    expect(claim.spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '5Gi' } } });
    const spec = of('StatefulSet').spec.template.spec;
    expect(spec.volumes).toEqual([{ name: 'data', persistentVolumeClaim: { claimName: 'web' } }]);
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }]);
  });

  it('retains a claim with its own name too', () => {
    const { workload, of } = build();
    expect(workload.claim({ name: 'web-data', size: '1Gi', mountPath: '/data' }).volume).toEqual({ persistentVolumeClaim: { claimName: 'web-data' } });
    expect(of('PersistentVolumeClaim').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' });
  });

  it('mounts no service-account token: not from its own ServiceAccount, not in a pod without one', () => {
    const own = build();
    own.workload.serviceAccount();
    own.workload.statefulSet(pod());
    expect(own.of('ServiceAccount')).toMatchObject({ metadata: { name: 'web', namespace: 'apps', labels: LABELS }, automountServiceAccountToken: false });
    expect(own.of('StatefulSet').spec.template.spec).toMatchObject({ serviceAccountName: 'web', automountServiceAccountToken: false });

    const none = build();
    none.workload.deployment(pod());
    const spec = none.of('Deployment').spec.template.spec;
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBeUndefined();
  });

  it('mounts the token of its ServiceAccount only when asked', () => {
    const { workload, of } = build();
    workload.serviceAccount(true);
    expect(of('ServiceAccount').automountServiceAccountToken).toBe(true);
  });

  it('runs a non-root pod under the restricted Pod Security context', () => {
    const { workload, of } = build();
    workload.deployment(pod({ user: 977 }));
    const spec = of('Deployment').spec.template.spec;
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 977,
      runAsGroup: 977,
      fsGroup: 977,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('keeps what baseline allows of the restricted context for a root image', () => {
    const { workload, of } = build();
    workload.statefulSet(pod({ user: 'root' }));
    const spec = of('StatefulSet').spec.template.spec;
    expect(spec.securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('probes over HTTP: startup within its budget, readiness on its own path, liveness after 6 failures', () => {
    const port = k8s.IntOrString.fromNumber(80);
    expect(containerProbes(httpGet('/', 80), { failureThreshold: 60, periodSeconds: 5 }, httpGet('/ready', 80))).toEqual({
      startupProbe: { httpGet: { path: '/', port }, failureThreshold: 60, periodSeconds: 5 },
      readinessProbe: { httpGet: { path: '/ready', port }, periodSeconds: 10 },
      livenessProbe: { httpGet: { path: '/', port }, failureThreshold: 6, periodSeconds: 10 },
    });
  });

  it("probes with any check; startup keeps the check's period unless told", () => {
    const check = { exec: { command: ['true'] }, periodSeconds: 10, timeoutSeconds: 5 };
    expect(containerProbes(check, { failureThreshold: 30 })).toEqual({
      startupProbe: { ...check, failureThreshold: 30 },
      readinessProbe: check,
      livenessProbe: { ...check, failureThreshold: 6 },
    });
  });

  it('renders the probes, the port, the resources and the image pull policy into the container', () => {
    const { workload, of } = build();
    workload.deployment(pod({ container: { ...pod().container, extendedLimits: { 'nvidia.com/gpu': '1' } } }));
    const container = of('Deployment').spec.template.spec.containers[0];
    expect(container).toMatchObject({ name: 'web', image: 'web:1.0.0', imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 8080 }] });
    expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi', 'nvidia.com/gpu': '1' } });
    expect(container.startupProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 30, periodSeconds: 2 });
    expect(container.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 8080 }, failureThreshold: 6, periodSeconds: 10 });
  });

  it('pairs every mount with its volume, in order', () => {
    const { workload, of } = build();
    const settings = { name: 'settings', mountPath: '/etc/web.yml', subPath: 'web.yml', readOnly: true, volume: { configMap: { name: 'web-settings' } } };
    workload.deployment(
      pod({ container: { ...pod().container, mounts: [emptyDirMount('config', '/etc/web'), settings, emptyDirMount('tmp', '/tmp', '64Mi')] } }),
    );
    const spec = of('Deployment').spec.template.spec;
    expect(spec.volumes).toEqual([
      { name: 'config', emptyDir: {} },
      { name: 'settings', configMap: { name: 'web-settings' } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'config', mountPath: '/etc/web' },
      { name: 'settings', mountPath: '/etc/web.yml', subPath: 'web.yml', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
  });

  it('selects the pods by the workload labels: a ClusterIP Service on the port, one replica, its own governing Service', () => {
    const { workload, of } = build();
    workload.service();
    workload.statefulSet(pod({ labels: { ...LABELS, extra: 'yes' }, annotations: { a: 'b' }, spec: { terminationGracePeriodSeconds: 30 } }));
    expect(of('Service').spec).toEqual({ selector: LABELS, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] });
    const sts = of('StatefulSet');
    expect(sts.metadata).toEqual({ name: 'web', namespace: 'apps', labels: LABELS });
    expect(sts.spec).toMatchObject({ replicas: 1, serviceName: 'web', selector: { matchLabels: LABELS } });
    expect(sts.spec.template.metadata).toEqual({ labels: { ...LABELS, extra: 'yes' }, annotations: { a: 'b' } });
    expect(sts.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('targets the container port by name when asked; a Deployment has no governing Service', () => {
    const { workload, of } = build({ name: 'postgres', port: 5432, targetByName: true });
    workload.service();
    workload.deployment(pod());
    expect(of('Service').spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 'postgres' }]);
    expect(of('Deployment').spec).toMatchObject({ replicas: 1, selector: { matchLabels: LABELS } });
    expect(of('Deployment').spec.serviceName).toBeUndefined();
  });

  it('names its objects ServiceAccount, Data, Service and Resource under the scope', () => {
    const { chart, workload } = build();
    workload.serviceAccount();
    workload.claim({ size: '1Gi', mountPath: '/data' });
    workload.service();
    workload.statefulSet(pod());
    expect(chart.node.children.map((c) => c.node.id)).toEqual(['ServiceAccount', 'Data', 'Service', 'Resource']);
  });
});

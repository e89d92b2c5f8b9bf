import { describe, expect, it } from 'vitest';
import { corePodSpecOf } from '../../src/validation/core-pod-specs';
import type { KubeObject } from '../../src/core/kube-object';
import { podSpecViolations } from '../../src/validation/pod-spec-rules';

const c = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'i', ...extra });
const pod = (spec: Record<string, unknown>) => ({ path: '/spec', spec, metadataPath: '/metadata' });

describe('pod spec rules', () => {
  it('finds the pod of a Pod and of each workload kind, and none elsewhere', () => {
    const spec = { containers: [c('a')] };
    expect(corePodSpecOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec } as KubeObject)?.path).toBe('/spec');
    for (const [apiVersion, kind] of [
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'StatefulSet'],
      ['apps/v1', 'ReplicaSet'],
      ['apps/v1', 'DaemonSet'],
      ['batch/v1', 'Job'],
    ]) {
      expect(corePodSpecOf({ apiVersion, kind, spec: { template: { spec } } } as KubeObject)).toMatchObject({
        path: '/spec/template/spec',
        spec,
        metadataPath: '/spec/template/metadata',
      });
    }
    expect(corePodSpecOf({ apiVersion: 'kagent.dev/v1alpha2', kind: 'Agent' } as KubeObject)).toBeUndefined();
  });

  it('accepts a sound pod', () => {
    expect(
      podSpecViolations(
        pod({ containers: [c('a', { volumeMounts: [{ name: 'v', mountPath: '/v' }] })], initContainers: [c('init')], volumes: [{ name: 'v', emptyDir: {} }] }),
      ),
    ).toEqual([]);
  });

  it('requires a container, and unique container names across init and regular containers', () => {
    expect(podSpecViolations(pod({ containers: [] }))).toEqual([
      { path: '/spec/containers', message: 'required field is missing: a pod needs at least one container' },
    ]);
    expect(podSpecViolations(pod({ containers: [c('a'), c('a')], initContainers: [c('a')] })).map((v) => v.path)).toEqual([
      '/spec/containers/1/name',
      '/spec/initContainers/0/name',
    ]);
  });

  it('checks volume names and duplicates', () => {
    expect(
      podSpecViolations(
        pod({ containers: [c('a')], volumes: [{ name: 'Data', emptyDir: {} }, { name: 'x', emptyDir: {} }, { name: 'x', emptyDir: {} }, { emptyDir: {} }] }),
      ),
    ).toEqual([
      { path: '/spec/volumes/0/name', message: expect.stringMatching(/^volume name "Data" is not a valid lowercase RFC 1123 label/) },
      { path: '/spec/volumes/2/name', message: 'duplicate volume name "x": each volume of a pod needs its own name' },
      { path: '/spec/volumes/3/name', message: 'required field is missing: name the volume' },
    ]);
  });

  it('lets sidecar init containers have probes, not plain ones', () => {
    const probe = { readinessProbe: { tcpSocket: { port: 80 } } };
    expect(
      podSpecViolations(pod({ containers: [c('a')], initContainers: [c('sidecar', { restartPolicy: 'Always', ...probe }), c('plain', probe)] })).map(
        (v) => v.path,
      ),
    ).toEqual(['/spec/initContainers/1/readinessProbe']);
  });

  it("checks a template's labels, the nodeSelector, the ServiceAccount name, pod-level resources, enums and quantities", () => {
    const violations = podSpecViolations({
      path: '/spec/template/spec',
      metadataPath: '/spec/template/metadata',
      metadata: { labels: { 'bad key': 'x' } },
      spec: {
        containers: [c('a', { imagePullPolicy: 'always' })],
        nodeSelector: { 'kubernetes.io/arch': 'amd 64' },
        serviceAccountName: 'Agent_SA',
        resources: { requests: { memory: '2Gi' }, limits: { memory: '1Gi' } },
        volumes: [{ name: 'v', emptyDir: { sizeLimit: '1GB' } }],
      },
    });
    expect(violations.map((v) => v.path)).toEqual([
      '/spec/template/metadata/labels/bad key',
      '/spec/template/spec/nodeSelector/kubernetes.io~1arch',
      '/spec/template/spec/serviceAccountName',
      '/spec/template/spec/resources/requests/memory',
      '/spec/template/spec/containers/0/imagePullPolicy',
      '/spec/template/spec/volumes/0/emptyDir/sizeLimit',
    ]);
  });
});

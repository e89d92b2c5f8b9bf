import { describe, expect, it } from 'vitest';
import { objectEnumViolations, podSpecEnumViolations } from '../../src/validation/core-enums';
import type { KubeObject } from '../../src/core/kube-object';

describe('enumerated core fields', () => {
  it('accepts the allowed values and absent fields', () => {
    expect(
      podSpecEnumViolations(
        { restartPolicy: 'OnFailure', dnsPolicy: 'None', containers: [{ imagePullPolicy: 'Never', ports: [{ protocol: 'SCTP' }] }] },
        '/spec',
      ),
    ).toEqual([]);
    expect(podSpecEnumViolations({ containers: [{}] }, '/spec')).toEqual([]);
  });

  it('rejects other values in pod specs, naming the one meant when only the case is wrong', () => {
    expect(
      podSpecEnumViolations(
        {
          containers: [{ terminationMessagePolicy: 'file', livenessProbe: { httpGet: { scheme: 'https' } } }],
          initContainers: [{ imagePullPolicy: 'Sometimes', lifecycle: { preStop: { httpGet: { scheme: 'FTP' } } } }],
        },
        '/spec',
      ),
    ).toEqual([
      { path: '/spec/initContainers/0/imagePullPolicy', message: 'unsupported value "Sometimes": must be one of "Always", "IfNotPresent", "Never"' },
      {
        path: '/spec/containers/0/terminationMessagePolicy',
        message: 'unsupported value "file": must be one of "File", "FallbackToLogsOnError"; use "File" (the values are case-sensitive)',
      },
      { path: '/spec/containers/0/livenessProbe/httpGet/scheme', message: expect.stringMatching(/^unsupported value "https".*use "HTTPS"/) },
      { path: '/spec/initContainers/0/lifecycle/preStop/httpGet/scheme', message: expect.stringMatching(/^unsupported value "FTP"/) },
    ]);
  });

  it('rejects other values in object fields, by kind', () => {
    const pvc = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      spec: { accessModes: ['ReadWriteOnce', 'ReadWriteOnly'], volumeMode: 'Filesystem' },
    } as KubeObject;
    expect(objectEnumViolations(pvc).map((v) => v.path)).toEqual(['/spec/accessModes/1']);
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      spec: { type: 'NodePort', sessionAffinity: 'Sticky', externalTrafficPolicy: 'local', ports: [{ protocol: 'HTTP' }] },
    } as KubeObject;
    expect(objectEnumViolations(service).map((v) => v.path)).toEqual(['/spec/ports/0/protocol', '/spec/sessionAffinity', '/spec/externalTrafficPolicy']);
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      spec: { policyTypes: ['ingress'], egress: [{ ports: [{ protocol: 'udp' }] }] },
    } as KubeObject;
    expect(objectEnumViolations(policy).map((v) => v.path)).toEqual(['/spec/policyTypes/0', '/spec/egress/0/ports/0/protocol']);
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', spec: { strategy: { type: 'BlueGreen' } } } as KubeObject;
    expect(objectEnumViolations(deployment).map((v) => v.path)).toEqual(['/spec/strategy/type']);
  });
});

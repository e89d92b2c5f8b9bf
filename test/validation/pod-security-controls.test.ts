import { describe, expect, it } from 'vitest';
import { podSecurityAdmissionViolations } from '../../src/validation/pod-security-controls';
import { podSecurityViolations } from '../../src/validation/pod-security-standard';

const restricted = { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } };
const pod = (spec: Record<string, unknown>, containerSc: Record<string, unknown> = restricted, extra: Record<string, unknown> = {}) => ({
  containers: [{ name: 'app', securityContext: containerSc, ...extra }],
  ...spec,
});

describe('Pod Security controls beyond podSecurityViolations', () => {
  it('adds nothing to a restricted pod, and keeps every message of the existing checker', () => {
    expect(podSecurityAdmissionViolations(pod({}) as never, 'restricted')).toEqual([]);
    const bare = { containers: [{ name: 'c' }] };
    expect(podSecurityAdmissionViolations(bare, 'restricted')).toEqual(podSecurityViolations(bare, 'restricted'));
  });

  it('forbids a pod-level runAsNonRoot=false in restricted even when containers set true', () => {
    const spec = pod({ securityContext: { runAsNonRoot: false } }) as never;
    expect(podSecurityViolations(spec, 'restricted')).toEqual([]);
    expect(podSecurityAdmissionViolations(spec, 'restricted')).toEqual([
      'pod must not set securityContext.runAsNonRoot=false (containers setting true do not override it): set it true or remove it',
    ]);
    expect(podSecurityAdmissionViolations(spec, 'baseline')).toEqual([]);
  });

  it('forbids unconfined AppArmor profiles at baseline', () => {
    expect(podSecurityAdmissionViolations(pod({}, { appArmorProfile: { type: 'Unconfined' } }) as never, 'baseline')).toEqual([
      'container app: AppArmor profile type Unconfined is not allowed: use RuntimeDefault or Localhost',
    ]);
    expect(
      podSecurityAdmissionViolations(pod({ securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } }, {}) as never, 'baseline'),
    ).toEqual([]);
  });

  it('forbids SELinux users, roles and custom types at baseline', () => {
    expect(
      podSecurityAdmissionViolations(
        pod({ securityContext: { seLinuxOptions: { type: 'spc_t', role: 'r' } } }, { seLinuxOptions: { level: 's0:c1' } }) as never,
        'baseline',
      ),
    ).toEqual([
      'pod: seLinuxOptions may not set type spc_t, role: leave user and role unset and use type container_t, container_init_t, container_kvm_t or container_engine_t',
    ]);
  });

  it('forbids probes and hooks aimed at another host at baseline', () => {
    const extra = { livenessProbe: { tcpSocket: { port: 80, host: '10.0.0.1' } }, lifecycle: { preStop: { httpGet: { port: 80, host: 'example.com' } } } };
    expect(podSecurityAdmissionViolations(pod({}, {}, extra) as never, 'baseline')).toEqual([
      'container app: probes and lifecycle hooks may not target another host (10.0.0.1, example.com): remove host, so they reach the pod',
    ]);
  });

  it('forbids Windows HostProcess containers at baseline, and nothing at privileged', () => {
    const spec = pod({}, { windowsOptions: { hostProcess: true } }) as never;
    expect(podSecurityAdmissionViolations(spec, 'baseline')).toEqual(['container app: windowsOptions.hostProcess=true is not allowed']);
    expect(podSecurityAdmissionViolations(spec, 'privileged')).toEqual([]);
  });
});

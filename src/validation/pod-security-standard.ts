import type { PodSecurityLevel } from '../core/pod-security-levels';

/** The parts of a pod spec the Pod Security Standards look at. */
export interface PodSpecLike {
  readonly hostNetwork?: boolean;
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly securityContext?: SecurityContextLike & { readonly sysctls?: ReadonlyArray<{ name: string }> };
  readonly containers?: readonly ContainerLike[];
  readonly initContainers?: readonly ContainerLike[];
  readonly volumes?: ReadonlyArray<Record<string, unknown>>;
}

interface SecurityContextLike {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly privileged?: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly seccompProfile?: { readonly type?: string };
  readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
  readonly procMount?: string;
}

interface ContainerLike {
  readonly name?: string;
  readonly securityContext?: SecurityContextLike;
  readonly ports?: ReadonlyArray<{ hostPort?: number }>;
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);

/**
 * Checks a pod spec against a Pod Security Standard level the way admission does (the "baseline" and
 * "restricted" controls of the Kubernetes documentation). Returns one message per violated control.
 */
export function podSecurityViolations(pod: PodSpecLike, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return [];
  const violations = baselineViolations(pod);
  return level === 'restricted' ? [...violations, ...restrictedViolations(pod)] : violations;
}

function containersOf(pod: PodSpecLike): ContainerLike[] {
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

function baselineViolations(pod: PodSpecLike): string[] {
  const v: string[] = [];
  if (pod.hostNetwork || pod.hostPID || pod.hostIPC) v.push('host namespaces (hostNetwork/hostPID/hostIPC) are not allowed');
  if ((pod.volumes ?? []).some((vol) => 'hostPath' in vol)) v.push('hostPath volumes are not allowed');
  if (pod.securityContext?.seccompProfile?.type === 'Unconfined') v.push('pod seccompProfile must not be Unconfined');
  for (const sysctl of pod.securityContext?.sysctls ?? []) if (!SAFE_SYSCTLS.has(sysctl.name)) v.push(`sysctl ${sysctl.name} is not in the safe set`);
  for (const c of containersOf(pod)) {
    const sc = c.securityContext ?? {};
    if (sc.privileged) v.push(`container ${c.name}: privileged is not allowed`);
    const extra = (sc.capabilities?.add ?? []).filter((cap) => !BASELINE_CAPABILITIES.has(cap));
    if (extra.length) v.push(`container ${c.name}: capabilities ${extra.join(', ')} may not be added`);
    if ((c.ports ?? []).some((p) => p.hostPort)) v.push(`container ${c.name}: hostPort is not allowed`);
    if (sc.procMount && sc.procMount !== 'Default') v.push(`container ${c.name}: procMount must be Default`);
    if (sc.seccompProfile?.type === 'Unconfined') v.push(`container ${c.name}: seccompProfile must not be Unconfined`);
  }
  return v;
}

function restrictedViolations(pod: PodSpecLike): string[] {
  const v: string[] = [];
  const podSc = pod.securityContext ?? {};
  for (const vol of pod.volumes ?? []) {
    const type = Object.keys(vol).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) v.push(`volume ${String(vol.name)}: type ${type} is not allowed`);
  }
  if (podSc.runAsUser === 0) v.push('pod runAsUser must not be 0');
  const podSeccomp = podSc.seccompProfile?.type;
  for (const c of containersOf(pod)) {
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) v.push(`container ${c.name}: allowPrivilegeEscalation must be false`);
    if (!(sc.runAsNonRoot ?? podSc.runAsNonRoot)) v.push(`container ${c.name}: runAsNonRoot must be true (pod or container)`);
    if (sc.runAsUser === 0) v.push(`container ${c.name}: runAsUser must not be 0`);
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') v.push(`container ${c.name}: seccompProfile must be RuntimeDefault or Localhost`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) v.push(`container ${c.name}: capabilities must drop ALL`);
    const added = (sc.capabilities?.add ?? []).filter((cap) => cap !== 'NET_BIND_SERVICE');
    if (added.length) v.push(`container ${c.name}: only NET_BIND_SERVICE may be added`);
  }
  return v;
}

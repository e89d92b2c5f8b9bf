/**
 * Pod Security controls of k8s.io/pod-security-admission (policy/, v0.36) that podSecurityViolations does not
 * check, and the one entry point that checks a pod against all of them: baseline forbids unconfined AppArmor
 * profiles (check_appArmorProfile), custom SELinux users, roles and types (check_seLinuxOptions), probes and hooks
 * aimed at another host (check_hostProbesAndhostLifecycle, 1.34+) and Windows HostProcess containers
 * (check_windowsHostProcess); restricted forbids `runAsNonRoot: false` on the pod even when every container
 * sets true (check_runAsNonRoot).
 */
import type { PodSecurityLevel } from '../core/pod-security-levels';
import type { Json } from './object-paths';
import { podSecurityViolations, type PodSpecLike } from './pod-security-standard';

const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** Every Pod Security control of `level` the pod violates, one message each. */
export function podSecurityAdmissionViolations(pod: PodSpecLike, level: PodSecurityLevel): string[] {
  if (level === 'privileged') return podSecurityViolations(pod, level);
  const spec = pod as Json;
  const added = [...appArmorViolations(spec), ...seLinuxViolations(spec), ...hostProbeViolations(spec), ...hostProcessViolations(spec)];
  if (level === 'restricted' && spec.securityContext?.runAsNonRoot === false) {
    added.push('pod must not set securityContext.runAsNonRoot=false (containers setting true do not override it): set it true or remove it');
  }
  return [...podSecurityViolations(pod, level), ...added];
}

/** The pod's security context as "pod", then each container's as "container <name>". */
function securityContexts(spec: Json): Array<{ who: string; context: Json }> {
  return [
    { who: 'pod', context: spec.securityContext ?? {} },
    ...containersOf(spec).map((c) => ({ who: `container ${c.name}`, context: c.securityContext ?? {} })),
  ];
}

function containersOf(spec: Json): Json[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
}

function appArmorViolations(spec: Json): string[] {
  return securityContexts(spec)
    .filter(({ context }) => context.appArmorProfile && !APPARMOR_TYPES.has(context.appArmorProfile.type))
    .map(({ who, context }) => `${who}: AppArmor profile type ${context.appArmorProfile.type} is not allowed: use RuntimeDefault or Localhost`);
}

function seLinuxViolations(spec: Json): string[] {
  return securityContexts(spec).flatMap(({ who, context }) => {
    const options = context.seLinuxOptions;
    if (!options) return [];
    const wrong = [
      ...(SELINUX_TYPES.has(options.type ?? '') ? [] : [`type ${options.type}`]),
      ...(options.user ? ['user'] : []),
      ...(options.role ? ['role'] : []),
    ];
    return wrong.length
      ? [
          `${who}: seLinuxOptions may not set ${wrong.join(', ')}: leave user and role unset and use type container_t, container_init_t, container_kvm_t or container_engine_t`,
        ]
      : [];
  });
}

function hostProbeViolations(spec: Json): string[] {
  return containersOf(spec).flatMap((c) => {
    const handlers = [...PROBES.map((p) => c[p]), c.lifecycle?.postStart, c.lifecycle?.preStop].filter(Boolean) as Json[];
    const hosts = handlers.flatMap((h) => [h.httpGet?.host, h.tcpSocket?.host]).filter(Boolean);
    return hosts.length
      ? [`container ${c.name}: probes and lifecycle hooks may not target another host (${[...new Set(hosts)].join(', ')}): remove host, so they reach the pod`]
      : [];
  });
}

function hostProcessViolations(spec: Json): string[] {
  return securityContexts(spec)
    .filter(({ context }) => context.windowsOptions?.hostProcess === true)
    .map(({ who }) => `${who}: windowsOptions.hostProcess=true is not allowed`);
}

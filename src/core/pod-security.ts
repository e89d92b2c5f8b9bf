import type { k8s } from './k8s';

/** Pod-level settings that pass the `restricted` Pod Security Standard. */
export function restrictedPodSecurityContext(uid: number): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    fsGroupChangePolicy: 'OnRootMismatch',
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container settings that pass `restricted`. cdk8s-plus defaults set neither the seccomp profile nor
 * dropped capabilities, so every container of this platform uses this instead.
 */
export function restrictedContainerSecurityContext(readOnlyRootFilesystem = true): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** The restricted pod settings an image that must run as root keeps (`baseline`): the seccomp profile only. */
export function rootPodSecurityContext(): k8s.PodSecurityContext {
  return { seccompProfile: restrictedPodSecurityContext(0).seccompProfile };
}

/** The restricted container settings an image that must run as root keeps (`baseline`): all but non-root and a read-only root. */
export function rootContainerSecurityContext(): k8s.SecurityContext {
  const { readOnlyRootFilesystem: _readOnly, runAsNonRoot: _nonRoot, ...kept } = restrictedContainerSecurityContext();
  return kept;
}

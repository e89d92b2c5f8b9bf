import { k8s } from './k8s';

/** A container's startup, readiness and liveness probes. */
export type ContainerProbes = Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'>;

/** An HTTP GET of `path` every 10 seconds. */
export function httpGet(path: string, port: number): k8s.Probe {
  return { httpGet: { path, port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 10 };
}

/**
 * The three probes from one check: startup may fail `startup.failureThreshold` times (every
 * `startup.periodSeconds`, else at the check's period), liveness 6 times; readiness is `readiness`, else the check.
 */
export function containerProbes(check: k8s.Probe, startup: { failureThreshold: number; periodSeconds?: number }, readiness = check): ContainerProbes {
  return { startupProbe: { ...check, ...startup }, readinessProbe: readiness, livenessProbe: { ...check, failureThreshold: 6 } };
}

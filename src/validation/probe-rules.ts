/**
 * Probes and lifecycle hooks as the API server validates them (pkg/apis/core/validation validateProbe,
 * validateHandler, validateInitContainers): exactly one handler each, valid handler ports, successThreshold 1 for
 * liveness and startup probes, and none of them on init containers that are not sidecars (restartPolicy Always).
 */
import type { RuleViolation } from './cel-rules';
import { formatProblem, PORT_NAME, portNumberProblem } from './name-formats';
import { pointer, violation, type Json } from './object-paths';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const HOOK_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];
const HOOKS = ['postStart', 'preStop'];

/** Problems of a container's probes and lifecycle hooks; `sidecarOrMain` is false for a plain init container. */
export function probeViolations(container: Json, path: string, sidecarOrMain: boolean): RuleViolation[] {
  if (!sidecarOrMain) {
    return [...PROBES, 'lifecycle']
      .filter((field) => container[field] !== undefined)
      .map((field) =>
        violation(
          pointer(path, field),
          `${field} may not be set for init containers without restartPolicy "Always": remove it, or make the container a sidecar`,
        ),
      );
  }
  const probes = PROBES.filter((kind) => container[kind]).flatMap((kind) => oneProbeViolations(container[kind], pointer(path, kind), kind));
  const hooks = HOOKS.filter((hook) => container.lifecycle?.[hook]).flatMap((hook) =>
    handlerViolations(container.lifecycle[hook], pointer(path, 'lifecycle', hook), HOOK_HANDLERS),
  );
  return [...probes, ...hooks];
}

function oneProbeViolations(probe: Json, path: string, kind: (typeof PROBES)[number]): RuleViolation[] {
  const out = handlerViolations(probe, path, PROBE_HANDLERS);
  if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    out.push(
      violation(
        pointer(path, 'successThreshold'),
        `must be 1 for a ${kind}, not ${probe.successThreshold}: one success means the container is live (or started)`,
      ),
    );
  }
  if (kind === 'readinessProbe' && probe.terminationGracePeriodSeconds !== undefined) {
    out.push(
      violation(
        pointer(path, 'terminationGracePeriodSeconds'),
        'must not be set for readinessProbes (a failing readiness probe never kills the container): remove it',
      ),
    );
  }
  return out;
}

/** Exactly one handler of `kinds`, and a valid port for the one that has a port. */
function handlerViolations(handler: Json, path: string, kinds: readonly string[]): RuleViolation[] {
  const set = kinds.filter((kind) => handler[kind] !== undefined && handler[kind] !== null);
  if (set.length === 0) return [violation(path, `must specify a handler type: set exactly one of ${kinds.join(', ')}`)];
  if (set.length > 1) {
    return [violation(pointer(path, set[1]), `may not specify more than 1 handler type: it sets ${set.join(' and ')}; keep one`)];
  }
  const [kind] = set;
  return kind === 'httpGet' || kind === 'tcpSocket' || kind === 'grpc' ? portViolations(handler[kind].port, pointer(path, kind, 'port'), kind !== 'grpc') : [];
}

/** A handler's port: a number, or (httpGet, tcpSocket) the name of a container port. */
function portViolations(port: unknown, path: string, nameAllowed: boolean): RuleViolation[] {
  if (port === undefined) return [violation(path, 'required field is missing: set the port number or a container port name')];
  const problem = typeof port === 'number' || !nameAllowed ? portNumberProblem(Number(port)) : formatProblem(String(port), PORT_NAME);
  return problem ? [violation(path, problem)] : [];
}

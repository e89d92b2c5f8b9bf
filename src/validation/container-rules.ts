/**
 * Containers as the API server validates them (pkg/apis/core/validation validateContainerCommon,
 * validateContainerPorts, ValidateEnv, ValidateVolumeMounts): name, image, ports, env var names, mounts of
 * declared volumes, resources, probes.
 */
import type { RuleViolation } from './cel-rules';
import { DNS1123_LABEL, ENV_VAR_NAME, formatProblem, PORT_NAME, portNumberProblem } from './name-formats';
import { itemsOf, pointer, problemAt, violation, type Json } from './object-paths';
import { probeViolations } from './probe-rules';
import { containerResourceViolations } from './resource-rules';

/** What a container's checks need to know of its pod. */
export interface ContainerContext {
  /** The names of the pod's volumes. */
  readonly volumes: ReadonlySet<string>;
  /** False for an init container that is not a sidecar (restartPolicy Always): it may have no probes. */
  readonly sidecarOrMain: boolean;
}

/** Problems of the container at `path`. */
export function containerViolations(container: Json, path: string, context: ContainerContext): RuleViolation[] {
  return [
    ...identityViolations(container, path),
    ...portViolations(itemsOf(container.ports), pointer(path, 'ports')),
    ...envViolations(itemsOf(container.env), pointer(path, 'env')),
    ...mountViolations(itemsOf(container.volumeMounts), pointer(path, 'volumeMounts'), context.volumes),
    ...containerResourceViolations(container.resources, pointer(path, 'resources')),
    ...probeViolations(container, path, context.sidecarOrMain),
  ];
}

function identityViolations(container: Json, path: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  if (!container.name) out.push(violation(pointer(path, 'name'), 'required field is missing: name the container'));
  else {
    const problem = formatProblem(String(container.name), DNS1123_LABEL);
    if (problem) out.push(violation(pointer(path, 'name'), `container name ${problem}`));
  }
  if (!container.image) out.push(violation(pointer(path, 'image'), 'required field is missing: set the container image'));
  return out;
}

function portViolations(ports: Json[], path: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const names = new Set<string>();
  ports.forEach((port, index) => {
    const at = pointer(path, index);
    if (port.containerPort === undefined || port.containerPort === 0)
      out.push(violation(pointer(at, 'containerPort'), 'required field is missing: set the port number'));
    else out.push(...problemAt(pointer(at, 'containerPort'), portNumberProblem(port.containerPort)));
    if (port.hostPort !== undefined && port.hostPort !== 0) out.push(...problemAt(pointer(at, 'hostPort'), portNumberProblem(port.hostPort)));
    if (port.name === undefined || port.name === '') return;
    const problem = formatProblem(String(port.name), PORT_NAME);
    if (problem) out.push(violation(pointer(at, 'name'), `port name ${problem}`));
    else if (names.has(port.name))
      out.push(violation(pointer(at, 'name'), `duplicate port name ${JSON.stringify(port.name)} in this container: give each port its own name`));
    names.add(port.name);
  });
  return out;
}

function envViolations(env: Json[], path: string): RuleViolation[] {
  return env.flatMap((variable, index) => {
    const at = pointer(path, index, 'name');
    if (!variable.name) return [violation(at, 'required field is missing: name the variable')];
    const problem = formatProblem(String(variable.name), ENV_VAR_NAME);
    return problem ? [violation(at, problem)] : [];
  });
}

function mountViolations(mounts: Json[], path: string, volumes: ReadonlySet<string>): RuleViolation[] {
  const out: RuleViolation[] = [];
  const paths = new Set<string>();
  const declared = volumes.size ? [...volumes].map((v) => JSON.stringify(v)).join(', ') : 'none';
  mounts.forEach((mount, index) => {
    const at = pointer(path, index);
    if (!mount.name) out.push(violation(pointer(at, 'name'), 'required field is missing: name the volume to mount'));
    else if (!volumes.has(mount.name)) {
      out.push(
        violation(
          pointer(at, 'name'),
          `mounts volume ${JSON.stringify(mount.name)}, which the pod does not declare (its volumes: ${declared}): add it to the pod's volumes or fix the name`,
        ),
      );
    }
    if (!mount.mountPath) out.push(violation(pointer(at, 'mountPath'), 'required field is missing: set where to mount the volume'));
    else if (paths.has(mount.mountPath))
      out.push(violation(pointer(at, 'mountPath'), `${JSON.stringify(mount.mountPath)} is mounted twice in this container: mount paths must be unique`));
    paths.add(mount.mountPath);
  });
  return out;
}

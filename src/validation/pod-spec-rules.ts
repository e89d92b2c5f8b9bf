/**
 * A pod spec as the API server validates it (pkg/apis/core/validation ValidatePodSpec, ValidateVolumes,
 * validateContainers, validateInitContainers, ValidatePodTemplateSpec): at least one container, unique container
 * and volume names, each container's own rules, labels of the template and of the nodeSelector, and the
 * enumerated and quantity fields.
 */
import type { RuleViolation } from './cel-rules';
import { containerViolations } from './container-rules';
import { podSpecEnumViolations } from './core-enums';
import { labelsAndAnnotationsViolations, labelViolations } from './core-names';
import type { CorePodSpec } from './core-pod-specs';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, formatProblem } from './name-formats';
import { itemsOf, pointer, violation, type Json } from './object-paths';
import { podSpecQuantityViolations } from './quantity-fields';
import { requestLimitViolations } from './resource-rules';

/** Problems of the pod spec (and, for a template, its metadata). */
export function podSpecViolations(pod: CorePodSpec): RuleViolation[] {
  const { spec, path } = pod;
  const volumes = itemsOf(spec.volumes);
  // A Pod's own metadata is checked with the object's; a template's is checked here.
  const metadata = pod.metadataPath === '/metadata' ? [] : labelsAndAnnotationsViolations(pod.metadata, pod.metadataPath);
  return [
    ...metadata,
    ...volumeViolations(volumes, pointer(path, 'volumes')),
    ...containerListViolations(spec, path, new Set(volumes.map((v) => String(v.name)))),
    ...labelViolations(spec.nodeSelector, pointer(path, 'nodeSelector')),
    ...serviceAccountViolations(spec, path),
    ...requestLimitViolations(spec.resources, pointer(path, 'resources')),
    ...podSpecEnumViolations(spec, path),
    ...podSpecQuantityViolations(spec, path),
  ];
}

function volumeViolations(volumes: Json[], path: string): RuleViolation[] {
  const seen = new Set<string>();
  return volumes.flatMap((volume, index) => {
    const at = pointer(path, index, 'name');
    if (!volume.name) return [violation(at, 'required field is missing: name the volume')];
    const problem = formatProblem(String(volume.name), DNS1123_LABEL);
    const duplicate = seen.has(volume.name);
    seen.add(volume.name);
    if (problem) return [violation(at, `volume name ${problem}`)];
    return duplicate ? [violation(at, `duplicate volume name ${JSON.stringify(volume.name)}: each volume of a pod needs its own name`)] : [];
  });
}

/** Containers are required; names are unique across containers and init containers. */
function containerListViolations(spec: Json, path: string, volumes: ReadonlySet<string>): RuleViolation[] {
  const containers = itemsOf(spec.containers);
  const out: RuleViolation[] =
    containers.length === 0 ? [violation(pointer(path, 'containers'), 'required field is missing: a pod needs at least one container')] : [];
  const names = new Set<string>();
  const visit = (field: 'containers' | 'initContainers') =>
    itemsOf(spec[field]).forEach((container, index) => {
      const at = pointer(path, field, index);
      const sidecarOrMain = field === 'containers' || container.restartPolicy === 'Always';
      out.push(...containerViolations(container, at, { volumes, sidecarOrMain }));
      if (container.name && names.has(container.name)) {
        out.push(
          violation(
            pointer(at, 'name'),
            `duplicate container name ${JSON.stringify(container.name)}: names must be unique across containers and initContainers`,
          ),
        );
      }
      if (container.name) names.add(container.name);
    });
  visit('containers');
  visit('initContainers');
  return out;
}

function serviceAccountViolations(spec: Json, path: string): RuleViolation[] {
  if (!spec.serviceAccountName) return [];
  const problem = formatProblem(String(spec.serviceAccountName), DNS1123_SUBDOMAIN);
  return problem ? [violation(pointer(path, 'serviceAccountName'), `ServiceAccount name ${problem}`)] : [];
}

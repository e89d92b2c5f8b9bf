/**
 * ObjectMeta as the API server validates it for every kind, custom resources included
 * (k8s.io/apimachinery pkg/api/validation/objectmeta.go): the name in the format of its kind, the namespace, label
 * keys and values, annotation keys and their total size.
 */
import type { RuleViolation } from './cel-rules';
import type { KubeObject } from '../core/kube-object';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, formatProblem, LABEL_KEY, LABEL_VALUE, PATH_SEGMENT_NAME, type NameFormat } from './name-formats';
import { entriesOf, kindKey, pointer, violation, type Json } from './object-paths';

const RBAC = 'rbac.authorization.k8s.io/v1';

/**
 * Kinds whose names are not DNS-1123 subdomains (the default of core kinds and of every custom resource).
 * Services are labels since RelaxedServiceNameValidation (beta, on by default in 1.36; DNS-1035 labels before);
 * StatefulSet names become pod hostnames; RBAC names only have to be a URL path segment.
 */
const NAME_FORMATS: Readonly<Record<string, NameFormat>> = {
  'v1/Namespace': DNS1123_LABEL,
  'v1/Service': DNS1123_LABEL,
  'apps/v1/StatefulSet': DNS1123_LABEL,
  [`${RBAC}/Role`]: PATH_SEGMENT_NAME,
  [`${RBAC}/RoleBinding`]: PATH_SEGMENT_NAME,
  [`${RBAC}/ClusterRole`]: PATH_SEGMENT_NAME,
  [`${RBAC}/ClusterRoleBinding`]: PATH_SEGMENT_NAME,
};

/** The API server rejects an object whose annotations (keys and values) exceed 256 KiB. */
const ANNOTATIONS_LIMIT = 256 * 1024;

/** The format `metadata.name` must have for this kind. */
export function nameFormatOf(object: KubeObject): NameFormat {
  return NAME_FORMATS[kindKey(object)] ?? DNS1123_SUBDOMAIN;
}

/** Problems of an object's `metadata`. */
export function metadataViolations(object: KubeObject): RuleViolation[] {
  const meta = (object.metadata ?? {}) as Json;
  const out: RuleViolation[] = [];
  if (meta.name === undefined || meta.name === '') {
    if (!meta.generateName) out.push(violation('/metadata/name', 'required field is missing: set metadata.name'));
  } else {
    const problem = formatProblem(String(meta.name), nameFormatOf(object));
    if (problem) out.push(violation('/metadata/name', `${object.kind} name ${problem}`));
  }
  if (meta.namespace) {
    const problem = formatProblem(String(meta.namespace), DNS1123_LABEL);
    if (problem) out.push(violation('/metadata/namespace', `namespace ${problem}`));
  }
  return [...out, ...labelsAndAnnotationsViolations(meta, '/metadata')];
}

/** Problems of the labels and annotations of an object's or a pod template's metadata at `path`. */
export function labelsAndAnnotationsViolations(meta: Json | undefined, path: string): RuleViolation[] {
  return [...labelViolations(meta?.labels, pointer(path, 'labels')), ...annotationViolations(meta?.annotations, pointer(path, 'annotations'))];
}

/** Problems of a label map (metadata labels, selectors' matchLabels, nodeSelector) at `path`. */
export function labelViolations(labels: unknown, path: string): RuleViolation[] {
  return entriesOf(labels).flatMap(([key, value]) => {
    const at = pointer(path, key);
    const keyProblem = formatProblem(key, LABEL_KEY);
    const valueProblem = formatProblem(String(value), LABEL_VALUE);
    return [...(keyProblem ? [violation(at, `key ${keyProblem}`)] : []), ...(valueProblem ? [violation(at, `value ${valueProblem}`)] : [])];
  });
}

/** Annotation keys are label keys (compared lower-cased, so capitals are allowed); values are free text. */
function annotationViolations(annotations: unknown, path: string): RuleViolation[] {
  const entries = entriesOf(annotations);
  const out = entries.flatMap(([key]) => {
    const reasons = LABEL_KEY.problems(key.toLowerCase());
    return reasons.length ? [violation(pointer(path, key), `key ${JSON.stringify(key)} is not a valid annotation key: ${reasons.join('; ')}`)] : [];
  });
  const size = entries.reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(String(value)), 0);
  if (size > ANNOTATIONS_LIMIT) {
    out.push(violation(path, `annotations total ${size} bytes, more than the API server's limit of ${ANNOTATIONS_LIMIT}: move large values into a ConfigMap`));
  }
  return out;
}

/**
 * The enumerated fields of core kinds: the OpenAPI schemas type them as free strings, the API server accepts only
 * these values (after defaulting, so an absent field is fine). From k8s.io/kubernetes pkg/apis/core, apps, batch
 * and networking validation.
 */
import type { RuleViolation } from './cel-rules';
import type { KubeObject } from '../core/kube-object';
import { kindKey, valuesAt, violation, type Json } from './object-paths';

interface EnumField {
  /** A valuesAt pattern, relative to the pod spec or to the object. */
  readonly at: string;
  readonly allowed: readonly string[];
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const CONTAINERS = '{containers,initContainers}/*';
const PROBES = `${CONTAINERS}/{livenessProbe,readinessProbe,startupProbe}`;
const HOOKS = `${CONTAINERS}/lifecycle/{postStart,preStop}`;
const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Filesystem', 'Block'];

/** Enumerated fields of every pod spec. */
const POD_SPEC_ENUMS: readonly EnumField[] = [
  { at: 'restartPolicy', allowed: ['Always', 'OnFailure', 'Never'] },
  { at: 'dnsPolicy', allowed: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'] },
  { at: `${CONTAINERS}/imagePullPolicy`, allowed: ['Always', 'IfNotPresent', 'Never'] },
  { at: `${CONTAINERS}/terminationMessagePolicy`, allowed: ['File', 'FallbackToLogsOnError'] },
  { at: `${CONTAINERS}/ports/*/protocol`, allowed: PROTOCOLS },
  { at: `${PROBES}/httpGet/scheme`, allowed: ['HTTP', 'HTTPS'] },
  { at: `${HOOKS}/httpGet/scheme`, allowed: ['HTTP', 'HTTPS'] },
  { at: 'volumes/*/ephemeral/volumeClaimTemplate/spec/accessModes/*', allowed: ACCESS_MODES },
];

/** Enumerated fields of objects, by `apiVersion/kind`. */
const OBJECT_ENUMS: Readonly<Record<string, readonly EnumField[]>> = {
  'v1/Service': [
    { at: 'spec/type', allowed: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] },
    { at: 'spec/ports/*/protocol', allowed: PROTOCOLS },
    { at: 'spec/sessionAffinity', allowed: ['None', 'ClientIP'] },
    { at: 'spec/{externalTrafficPolicy,internalTrafficPolicy}', allowed: ['Cluster', 'Local'] },
  ],
  'v1/PersistentVolumeClaim': [
    { at: 'spec/accessModes/*', allowed: ACCESS_MODES },
    { at: 'spec/volumeMode', allowed: VOLUME_MODES },
  ],
  'apps/v1/Deployment': [{ at: 'spec/strategy/type', allowed: ['Recreate', 'RollingUpdate'] }],
  'apps/v1/StatefulSet': [
    { at: 'spec/updateStrategy/type', allowed: ['RollingUpdate', 'OnDelete'] },
    { at: 'spec/podManagementPolicy', allowed: ['OrderedReady', 'Parallel'] },
    { at: 'spec/volumeClaimTemplates/*/spec/accessModes/*', allowed: ACCESS_MODES },
    { at: 'spec/persistentVolumeClaimRetentionPolicy/{whenDeleted,whenScaled}', allowed: ['Retain', 'Delete'] },
  ],
  'apps/v1/DaemonSet': [{ at: 'spec/updateStrategy/type', allowed: ['RollingUpdate', 'OnDelete'] }],
  'batch/v1/Job': [
    { at: 'spec/completionMode', allowed: ['NonIndexed', 'Indexed'] },
    { at: 'spec/podReplacementPolicy', allowed: ['TerminatingOrFailed', 'Failed'] },
  ],
  'networking.k8s.io/v1/NetworkPolicy': [
    { at: 'spec/policyTypes/*', allowed: ['Ingress', 'Egress'] },
    { at: 'spec/{ingress,egress}/*/ports/*/protocol', allowed: PROTOCOLS },
  ],
};

/** Values of the pod spec at `path` that its enumerated fields do not allow. */
export function podSpecEnumViolations(spec: Json, path: string): RuleViolation[] {
  return POD_SPEC_ENUMS.flatMap((field) => enumViolations(spec, path, field));
}

/** Values of an object's own enumerated fields (its pod spec aside) that they do not allow. */
export function objectEnumViolations(object: KubeObject): RuleViolation[] {
  return (OBJECT_ENUMS[kindKey(object)] ?? []).flatMap((field) => enumViolations(object, '', field));
}

function enumViolations(root: unknown, path: string, field: EnumField): RuleViolation[] {
  return valuesAt(root, path, field.at)
    .filter(({ value }) => !field.allowed.includes(String(value)))
    .map(({ path: at, value }) => violation(at, unsupportedValue(String(value), field.allowed)));
}

/** An unsupported value, with the allowed ones and the one meant when only the case is wrong. */
function unsupportedValue(value: string, allowed: readonly string[]): string {
  const meant = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  const fix = meant ? `; use ${JSON.stringify(meant)} (the values are case-sensitive)` : '';
  return `unsupported value ${JSON.stringify(value)}: must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}${fix}`;
}

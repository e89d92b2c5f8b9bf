/**
 * A differential corpus: objects that the real kube-apiserver (v1.36, Talos-style Pod Security admission) rejects,
 * each with the problem the offline checks must report for it, and valid controls it must accept. Every object
 * lives in one of CORPUS_NAMESPACES, so the corpus can be applied (server-side dry run, fieldValidation=Strict) to
 * an empty cluster once those namespaces and the kagent CRDs exist.
 *
 * Each broken object has exactly one defect; everything else about it is valid, Pod Security of its namespace
 * included, so a rejection can only be for that defect.
 */
import type { KubeObject } from '../../../src/core/kube-object';

export interface BrokenObject {
  readonly id: string;
  /** What is wrong, and which upstream check rejects it. */
  readonly why: string;
  readonly object: KubeObject;
  /** The offline problem (a `checkTree` line) the object must produce. */
  readonly offline: RegExp;
}

type Json = Record<string, any>;

const RESTRICTED = 'corpus-restricted';
const BASELINE = 'corpus-baseline';

const namespace = (name: string, level: string): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'pod-security.kubernetes.io/enforce': level } } }) as KubeObject;

/** The namespaces the corpus lives in, with the Pod Security level each enforces. */
export const CORPUS_NAMESPACES: readonly KubeObject[] = [namespace(RESTRICTED, 'restricted'), namespace(BASELINE, 'baseline')];

/** A container the restricted level admits. */
function container(name: string, extra: Json = {}): Json {
  return {
    name,
    image: 'registry.example.com/app:1.0.0',
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    ...extra,
  };
}

const meta = (name: string, ns: string, extra: Json = {}) => ({ name, namespace: ns, ...extra });

function pod(name: string, spec: Json, ns = RESTRICTED, metadata: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: meta(name, ns, metadata), spec: { containers: [container('app')], ...spec } } as KubeObject;
}

const APP = { app: 'corpus' };

/** A workload of `kind` whose template has the labels `APP` and a restricted pod (`spec` replaces parts of it). */
function workload(kind: string, name: string, spec: Json = {}, podSpec: Json = {}, labels: Json = APP): KubeObject {
  const apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1';
  const template = { metadata: { labels }, spec: { containers: [container('app')], ...(kind === 'Job' ? { restartPolicy: 'Never' } : {}), ...podSpec } };
  const selector = kind === 'Job' ? {} : { selector: { matchLabels: APP } };
  return { apiVersion, kind, metadata: meta(name, RESTRICTED), spec: { ...selector, template, ...spec } } as KubeObject;
}

const deployment = (name: string, podSpec: Json, spec: Json = {}) => workload('Deployment', name, spec, podSpec);

function service(name: string, spec: Json, ns = RESTRICTED): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name, ns),
    spec: { selector: APP, ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...spec },
  } as KubeObject;
}

function configMap(name: string, metadata: Json = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(name, RESTRICTED, metadata), data: { key: 'value' } } as KubeObject;
}

const KAGENT = 'kagent.dev/v1alpha2';

function agent(name: string, declarative: Json): KubeObject {
  return {
    apiVersion: KAGENT,
    kind: 'Agent',
    metadata: meta(name, BASELINE),
    spec: { type: 'Declarative', declarative: { modelConfig: 'corpus-model', systemMessage: 'You help.', ...declarative } },
  } as KubeObject;
}

function modelConfig(name: string, spec: Json): KubeObject {
  return {
    apiVersion: KAGENT,
    kind: 'ModelConfig',
    metadata: meta(name, BASELINE),
    spec: { provider: 'Ollama', model: 'llama3.2:3b', ollama: { host: 'http://ollama.ollama:11434' }, ...spec },
  } as KubeObject;
}

function remoteMcpServer(name: string, spec: Json): KubeObject {
  return {
    apiVersion: KAGENT,
    kind: 'RemoteMCPServer',
    metadata: meta(name, BASELINE),
    spec: { description: 'Corpus tools', url: 'https://tools.example.com/mcp', ...spec },
  } as KubeObject;
}

/** A container with one change to its restricted baseline. */
const withContainer = (extra: Json): Json => ({ containers: [container('app', extra)] });
const probe = (handler: Json): Json => ({ periodSeconds: 10, ...handler });
const HTTP_PROBE = { httpGet: { path: '/healthz', port: 8080 } };
const withMount = (mounts: Json[], volumes: Json[]): Json => ({ containers: [container('app', { volumeMounts: mounts })], volumes });

/** The problem line of an object: `dist/<file>: <Kind> <ns>/<name>: <pointer>: <message>`. */
const line = (kind: string, name: string, rest: string, ns = RESTRICTED): RegExp => new RegExp(`^dist/\\S+: ${kind} ${ns}/${name}: ${rest}`);
const inPod = (kind: string, name: string, rest: string, ns = RESTRICTED): RegExp =>
  line(kind, name, `/spec${kind === 'Pod' ? '' : '/template/spec'}/${rest}`, ns);
const podSecurity = (name: string, level: string, rest: string, ns: string): RegExp =>
  new RegExp(`^dist/\\S+: Pod ${ns}/${name}: violates Pod Security "${level}" of namespace ${ns}: ${rest}`);

export const BROKEN_OBJECTS: readonly BrokenObject[] = [
  // Schemas and CRD rules
  {
    id: 'unknown-field-deployment',
    why: 'spec.replica (for replicas) is not a DeploymentSpec field: strict field validation rejects it, non-strict drops it silently',
    object: deployment('typo-replicas', {}, { replica: 2 }),
    offline: line('Deployment', 'typo-replicas', '/spec/replica: unknown field "replica"'),
  },
  {
    id: 'unknown-field-agent',
    why: 'Agent spec.declarative has no temperature field (it belongs to the ModelConfig)',
    object: agent('typo-temperature', { temperature: 0.2 }),
    offline: line('Agent', 'typo-temperature', '/spec/declarative/temperature: unknown field', BASELINE),
  },
  {
    id: 'cel-agent-system-message',
    why: 'the Agent CRD rule: systemMessage and systemMessageFrom are mutually exclusive',
    object: agent('two-prompts', { systemMessageFrom: { type: 'ConfigMap', name: 'prompts', key: 'system' } }),
    offline: line('Agent', 'two-prompts', '/spec/declarative: systemMessage and systemMessageFrom are mutually exclusive', BASELINE),
  },
  {
    id: 'cel-modelconfig-provider',
    why: 'the ModelConfig CRD rule: provider.openAI must be nil unless the provider is OpenAI',
    object: modelConfig('ollama-with-openai', { openAI: { baseUrl: 'http://ollama:11434/v1' } }),
    offline: line('ModelConfig', 'ollama-with-openai', '/spec: provider.openAI must be nil if the provider is not OpenAI', BASELINE),
  },
  {
    id: 'cel-remotemcpserver-tls',
    why: 'the RemoteMCPServer CRD rule: spec.tls contradicts an http:// URL',
    object: remoteMcpServer('plaintext-tls', { url: 'http://tools.example.com/mcp', tls: { disableVerify: true } }),
    offline: line('RemoteMCPServer', 'plaintext-tls', '/spec: spec.tls must be unset when spec.url has http:// scheme', BASELINE),
  },
  {
    id: 'missing-required-remotemcpserver',
    why: 'RemoteMCPServer requires spec.description',
    object: {
      apiVersion: KAGENT,
      kind: 'RemoteMCPServer',
      metadata: meta('no-description', BASELINE),
      spec: { url: 'https://tools.example.com/mcp' },
    } as KubeObject,
    offline: line('RemoteMCPServer', 'no-description', '/spec/description: required field is missing', BASELINE),
  },
  {
    id: 'missing-required-container-image',
    why: 'validateContainerCommon: a container needs an image',
    object: pod('no-image', { containers: [{ ...container('app'), image: undefined }] }),
    offline: inPod('Pod', 'no-image', 'containers/0/image: required field is missing'),
  },
  {
    id: 'crd-enum-remotemcpserver-protocol',
    why: 'RemoteMCPServer spec.protocol is an enum of SSE and STREAMABLE_HTTP',
    object: remoteMcpServer('websocket', { protocol: 'WEBSOCKET' }),
    offline: line('RemoteMCPServer', 'websocket', '/spec/protocol: must be one of "SSE", "STREAMABLE_HTTP"', BASELINE),
  },
  // Quantities
  {
    id: 'quantity-megabytes',
    why: 'resource.ParseQuantity: "MB" is not a suffix (Mi or M is)',
    object: deployment('memory-mb', withContainer({ resources: { limits: { memory: '512MB' } } })),
    offline: inPod('Deployment', 'memory-mb', 'containers/0/resources/limits/memory: "512MB" is not a quantity'),
  },
  {
    id: 'quantity-pvc-lowercase',
    why: 'resource.ParseQuantity: suffixes are case-sensitive, "gi" is not Gi',
    object: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('models', RESTRICTED),
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20gi' } } },
    } as KubeObject,
    offline: line('PersistentVolumeClaim', 'models', '/spec/resources/requests/storage: "20gi" is not a quantity'),
  },
  {
    id: 'resources-request-over-limit',
    why: 'validateResourceRequirements: a request may not exceed its limit',
    object: deployment('request-over-limit', withContainer({ resources: { requests: { memory: '2Gi' }, limits: { memory: '1024Mi' } } })),
    offline: inPod('Deployment', 'request-over-limit', 'containers/0/resources/requests/memory: request "2Gi" is greater than the memory limit "1024Mi"'),
  },
  {
    id: 'resources-gpu-without-limit',
    why: 'validateResourceRequirements: extended resources cannot be overcommitted, so a request needs an equal limit',
    object: deployment('gpu-request', withContainer({ resources: { requests: { 'nvidia.com/gpu': '1' } } })),
    offline: inPod('Deployment', 'gpu-request', 'containers/0/resources/limits: nvidia.com/gpu cannot be overcommitted'),
  },
  // Names, labels, annotations
  {
    id: 'name-not-dns-subdomain',
    why: 'ConfigMap names are DNS-1123 subdomains: no capitals or underscores',
    object: configMap('Agent_Prompts'),
    offline: line(
      'ConfigMap',
      'Agent_Prompts',
      '/metadata/name: ConfigMap name "Agent_Prompts" is not a valid lowercase RFC 1123 subdomain.*use e\\.g\\. "agent-prompts"',
    ),
  },
  {
    id: 'service-name-with-dot',
    why: 'Service names are DNS-1123 labels: no dots',
    object: service('ollama.api', {}),
    offline: line('Service', 'ollama\\.api', '/metadata/name: Service name "ollama\\.api" is not a valid lowercase RFC 1123 label: must not contain dots'),
  },
  {
    id: 'statefulset-name-with-dot',
    why: 'StatefulSet names become pod hostnames, so they are DNS-1123 labels',
    object: workload('StatefulSet', 'db.primary', { serviceName: 'db' }),
    offline: line('StatefulSet', 'db\\.primary', '/metadata/name: StatefulSet name "db\\.primary" is not a valid lowercase RFC 1123 label'),
  },
  {
    id: 'label-value-with-space',
    why: 'ValidateLabels: label values are at most 63 alphanumerics, "-", "_" and "."',
    object: configMap('label-space', { labels: { team: 'ai platform' } }),
    offline: line('ConfigMap', 'label-space', '/metadata/labels/team: value "ai platform" is not a valid label value.*use e\\.g\\. "ai-platform"'),
  },
  {
    id: 'label-key-two-slashes',
    why: 'ValidateLabels: a label key has at most one "/" between prefix and name',
    object: configMap('label-slashes', { labels: { 'example.com/team/name': 'ai' } }),
    offline: line('ConfigMap', 'label-slashes', '/metadata/labels/example\\.com~1team~1name: key "example\\.com/team/name" is not a valid label key'),
  },
  {
    id: 'annotation-key-with-space',
    why: 'ValidateAnnotations: annotation keys follow the label key syntax',
    object: configMap('annotation-space', { annotations: { 'example.com/owner team': 'ai' } }),
    offline: line(
      'ConfigMap',
      'annotation-space',
      '/metadata/annotations/example\\.com~1owner team: key "example\\.com/owner team" is not a valid annotation key',
    ),
  },
  {
    id: 'job-name-too-long-for-label',
    why: 'the Job controller labels its pods with the Job name (batch.kubernetes.io/job-name), and label values are at most 63 characters',
    object: workload('Job', `index-${'models-'.repeat(10)}nightly`),
    offline: line('Job', 'index-\\S+', "/metadata/name: the Job's name labels its pods"),
  },
  // Ports
  {
    id: 'container-port-out-of-range',
    why: 'validateContainerPorts: containerPort must be 1-65535',
    object: deployment('port-70000', withContainer({ ports: [{ containerPort: 70000 }] })),
    offline: inPod('Deployment', 'port-70000', 'containers/0/ports/0/containerPort: 70000 is not a valid port number'),
  },
  {
    id: 'service-port-out-of-range',
    why: 'validateServicePort: port must be 1-65535',
    object: service('port-65536', { ports: [{ name: 'http', port: 65536, targetPort: 8080 }] }),
    offline: line('Service', 'port-65536', '/spec/ports/0/port: 65536 is not a valid port number'),
  },
  {
    id: 'container-port-name-too-long',
    why: 'IsValidPortName: IANA_SVC_NAME is at most 15 characters',
    object: deployment('port-name-long', withContainer({ ports: [{ name: 'openai-compatible', containerPort: 8080 }] })),
    offline: inPod(
      'Deployment',
      'port-name-long',
      'containers/0/ports/0/name: port name "openai-compatible" is not a valid port name \\(IANA_SVC_NAME\\): must be no more than 15 characters',
    ),
  },
  {
    id: 'container-port-name-uppercase',
    why: 'IsValidPortName: IANA_SVC_NAME is lower case',
    object: pod('port-name-upper', withContainer({ ports: [{ name: 'HTTP', containerPort: 8080 }] })),
    offline: inPod('Pod', 'port-name-upper', 'containers/0/ports/0/name: port name "HTTP" is not a valid port name.*use e\\.g\\. "http"'),
  },
  {
    id: 'container-duplicate-port-name',
    why: 'validateContainerPorts: port names are unique within a container',
    object: pod(
      'port-name-twice',
      withContainer({
        ports: [
          { name: 'http', containerPort: 8080 },
          { name: 'http', containerPort: 8081 },
        ],
      }),
    ),
    offline: inPod('Pod', 'port-name-twice', 'containers/0/ports/1/name: duplicate port name "http"'),
  },
  {
    id: 'service-duplicate-port-names',
    why: 'validateServicePort: Service port names are unique',
    object: service('port-names-twice', {
      ports: [
        { name: 'http', port: 80, targetPort: 8080 },
        { name: 'http', port: 443, targetPort: 8443 },
      ],
    }),
    offline: line('Service', 'port-names-twice', '/spec/ports/1/name: duplicate port name "http"'),
  },
  {
    id: 'service-ports-need-names',
    why: 'validateServicePort: once a Service has several ports, each needs a name',
    object: service('unnamed-port', { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 9090 }] }),
    offline: line('Service', 'unnamed-port', '/spec/ports/1/name: required field is missing'),
  },
  {
    id: 'service-target-port-bad-name',
    why: 'ValidatePortNumOrName: a named targetPort is an IANA_SVC_NAME (no underscores)',
    object: service('target-underscore', { ports: [{ name: 'http', port: 80, targetPort: 'http_api' }] }),
    offline: line('Service', 'target-underscore', '/spec/ports/0/targetPort: targetPort names a container port, and "http_api" is not a valid port name'),
  },
  {
    id: 'service-node-port-on-cluster-ip',
    why: 'validateService: nodePort may not be used when type is ClusterIP',
    object: service('cluster-ip-node-port', { ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30080 }] }),
    offline: line('Service', 'cluster-ip-node-port', '/spec/ports/0/nodePort: may not be used when type is "ClusterIP"'),
  },
  // Containers, volumes, probes
  {
    id: 'duplicate-container-names',
    why: 'validateContainers / validateInitContainers: container names are unique across containers and init containers',
    object: pod('two-apps', { initContainers: [container('app')], containers: [container('app')] }),
    offline: inPod('Pod', 'two-apps', 'initContainers/0/name: duplicate container name "app"'),
  },
  {
    id: 'container-name-uppercase',
    why: 'validateContainerCommon: container names are DNS-1123 labels',
    object: pod('upper-container', { containers: [container('Ollama')] }),
    offline: inPod('Pod', 'upper-container', 'containers/0/name: container name "Ollama" is not a valid lowercase RFC 1123 label'),
  },
  {
    id: 'volume-mount-undeclared',
    why: 'ValidateVolumeMounts: a mount names a volume of the pod',
    object: deployment('mount-missing', withMount([{ name: 'models', mountPath: '/models' }], [{ name: 'cache', emptyDir: {} }])),
    offline: inPod(
      'Deployment',
      'mount-missing',
      'containers/0/volumeMounts/0/name: mounts volume "models", which the pod does not declare \\(its volumes: "cache"\\)',
    ),
  },
  {
    id: 'duplicate-volume-names',
    why: 'ValidateVolumes: volume names are unique within a pod',
    object: deployment(
      'volume-twice',
      withMount(
        [{ name: 'cache', mountPath: '/cache' }],
        [
          { name: 'cache', emptyDir: {} },
          { name: 'cache', emptyDir: { medium: 'Memory' } },
        ],
      ),
    ),
    offline: inPod('Deployment', 'volume-twice', 'volumes/1/name: duplicate volume name "cache"'),
  },
  {
    id: 'probe-two-handlers',
    why: 'validateHandler: a probe may not specify more than 1 handler type',
    object: deployment('probe-two-handlers', withContainer({ readinessProbe: probe({ ...HTTP_PROBE, tcpSocket: { port: 8080 } }) })),
    offline: inPod('Deployment', 'probe-two-handlers', 'containers/0/readinessProbe/tcpSocket: may not specify more than 1 handler type'),
  },
  {
    id: 'probe-no-handler',
    why: 'validateHandler: a probe must specify a handler type',
    object: deployment('probe-no-handler', withContainer({ livenessProbe: probe({}) })),
    offline: inPod('Deployment', 'probe-no-handler', 'containers/0/livenessProbe: must specify a handler type'),
  },
  {
    id: 'liveness-success-threshold',
    why: 'validateLivenessProbe: successThreshold must be 1',
    object: deployment('liveness-threshold', withContainer({ livenessProbe: probe({ ...HTTP_PROBE, successThreshold: 3 }) })),
    offline: inPod('Deployment', 'liveness-threshold', 'containers/0/livenessProbe/successThreshold: must be 1 for a livenessProbe'),
  },
  {
    id: 'env-name-with-equals',
    why: 'IsRelaxedEnvVarName: env var names may not contain "="',
    object: deployment('env-equals', withContainer({ env: [{ name: 'API_KEY=', value: 'x' }] })),
    offline: inPod('Deployment', 'env-equals', 'containers/0/env/0/name: "API_KEY=" is not a valid environment variable name'),
  },
  // Enumerated fields
  {
    id: 'enum-image-pull-policy',
    why: 'validatePullPolicy: the values are case-sensitive',
    object: deployment('pull-policy-case', withContainer({ imagePullPolicy: 'ifNotPresent' })),
    offline: inPod('Deployment', 'pull-policy-case', 'containers/0/imagePullPolicy: unsupported value "ifNotPresent".*use "IfNotPresent"'),
  },
  {
    id: 'enum-restart-policy',
    why: 'validateRestartPolicy: Always, OnFailure or Never',
    object: pod('restart-sometimes', { restartPolicy: 'Sometimes' }),
    offline: inPod('Pod', 'restart-sometimes', 'restartPolicy: unsupported value "Sometimes"'),
  },
  {
    id: 'enum-dns-policy',
    why: 'validateDNSPolicy: ClusterFirstWithHostNet, ClusterFirst, Default or None',
    object: pod('dns-policy', { dnsPolicy: 'ClusterFirstWithHostNetwork' }),
    offline: inPod('Pod', 'dns-policy', 'dnsPolicy: unsupported value "ClusterFirstWithHostNetwork"'),
  },
  {
    id: 'enum-container-protocol',
    why: 'validateContainerPorts: protocols are TCP, UDP or SCTP, upper case',
    object: pod('protocol-lower', withContainer({ ports: [{ containerPort: 8080, protocol: 'tcp' }] })),
    offline: inPod('Pod', 'protocol-lower', 'containers/0/ports/0/protocol: unsupported value "tcp".*use "TCP"'),
  },
  {
    id: 'enum-service-type',
    why: 'validateService: ClusterIP, NodePort, LoadBalancer or ExternalName',
    object: service('type-case', { type: 'Loadbalancer' }),
    offline: line('Service', 'type-case', '/spec/type: unsupported value "Loadbalancer".*use "LoadBalancer"'),
  },
  // Workload selectors and templates
  {
    id: 'deployment-selector-mismatch',
    why: 'ValidatePodTemplateSpecForReplicaSet: `selector` does not match template `labels`',
    object: workload('Deployment', 'selector-mismatch', {}, {}, { app: 'other' }),
    offline: line('Deployment', 'selector-mismatch', "/spec/template/metadata/labels: spec.selector .* does not match the template's labels"),
  },
  {
    id: 'deployment-selector-empty',
    why: 'ValidateDeploymentSpec: empty selector is invalid for deployment',
    object: deployment('selector-empty', {}, { selector: {} }),
    offline: line('Deployment', 'selector-empty', '/spec/selector: an empty selector is invalid for a Deployment'),
  },
  {
    id: 'deployment-selector-missing',
    why: 'ValidateDeploymentSpec: apps/v1 requires spec.selector',
    object: deployment('selector-missing', {}, { selector: undefined }),
    offline: line('Deployment', 'selector-missing', '/spec/selector: required field is missing'),
  },
  {
    id: 'statefulset-selector-mismatch',
    why: 'ValidatePodTemplateSpecForStatefulSet: `selector` does not match template `labels`',
    object: workload('StatefulSet', 'db', { serviceName: 'db', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] } }),
    offline: line('StatefulSet', 'db', '/spec/template/metadata/labels: spec.selector .* does not match'),
  },
  {
    id: 'replicaset-selector-mismatch',
    why: 'ValidatePodTemplateSpecForReplicaSet: `selector` does not match template `labels`',
    object: workload('ReplicaSet', 'rs', { selector: { matchLabels: { app: 'corpus', tier: 'web' } } }),
    offline: line('ReplicaSet', 'rs', '/spec/template/metadata/labels: spec.selector .* does not match'),
  },
  {
    id: 'daemonset-selector-mismatch',
    why: 'ValidateDaemonSetSpec: `selector` does not match template `labels`',
    object: workload('DaemonSet', 'node-agent', {}, {}, { app: 'node-agent' }),
    offline: line('DaemonSet', 'node-agent', '/spec/template/metadata/labels: spec.selector .* does not match'),
  },
  {
    id: 'job-selector-not-generated',
    why: 'validateGeneratedSelector: a Job selector without manualSelector: true is "`selector` not auto-generated"',
    object: workload('Job', 'migrate', { selector: { matchLabels: APP } }),
    offline: line('Job', 'migrate', "/spec/selector: the API server generates a Job's selector"),
  },
  {
    id: 'job-restart-policy-default',
    why: 'validateJobSpec: a Job template must set restartPolicy OnFailure or Never (it defaults to Always)',
    object: workload('Job', 'warm-models', {}, { restartPolicy: undefined }),
    offline: inPod('Job', 'warm-models', 'restartPolicy: a Job\'s pods must set restartPolicy "OnFailure" or "Never"'),
  },
  {
    id: 'deployment-restart-policy-never',
    why: 'ValidatePodTemplateSpecForReplicaSet: a Deployment only supports restartPolicy Always',
    object: deployment('restart-never', { restartPolicy: 'Never' }),
    offline: inPod('Deployment', 'restart-never', 'restartPolicy: a Deployment only supports restartPolicy "Always"'),
  },
  // Pod Security admission (on bare pods: the server enforces it on pods, not on workloads)
  {
    id: 'pss-restricted-pod-run-as-non-root-false',
    why: 'check_runAsNonRoot: the pod may not set runAsNonRoot=false even when every container sets true',
    object: pod('root-pod-level', { securityContext: { runAsNonRoot: false } }),
    offline: podSecurity('root-pod-level', 'restricted', 'pod must not set securityContext\\.runAsNonRoot=false', RESTRICTED),
  },
  {
    id: 'pss-restricted-container-run-as-non-root-false',
    why: 'check_runAsNonRoot: a container may not set runAsNonRoot=false',
    object: pod('root-container', withContainer({ securityContext: { ...container('app').securityContext, runAsNonRoot: false } })),
    offline: podSecurity('root-container', 'restricted', 'container app: runAsNonRoot must be true', RESTRICTED),
  },
  {
    id: 'pss-restricted-run-as-user-0',
    why: 'check_runAsUser: runAsUser=0 is forbidden',
    object: pod('uid-zero', { securityContext: { runAsUser: 0 } }),
    offline: podSecurity('uid-zero', 'restricted', 'pod runAsUser must not be 0', RESTRICTED),
  },
  {
    id: 'pss-restricted-no-drop-all',
    why: 'check_capabilities_restricted: containers must drop ALL',
    object: pod('keeps-caps', withContainer({ securityContext: { ...container('app').securityContext, capabilities: {} } })),
    offline: podSecurity('keeps-caps', 'restricted', 'container app: capabilities must drop ALL', RESTRICTED),
  },
  {
    id: 'pss-baseline-privileged',
    why: 'check_privileged: privileged containers are forbidden at baseline',
    object: pod('privileged', { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { privileged: true } }] }, BASELINE),
    offline: podSecurity('privileged', 'baseline', 'container app: privileged is not allowed', BASELINE),
  },
  {
    id: 'pss-baseline-host-network',
    why: 'check_hostNamespaces: hostNetwork is forbidden at baseline',
    object: pod('host-network', { hostNetwork: true }, BASELINE),
    offline: podSecurity('host-network', 'baseline', 'host namespaces', BASELINE),
  },
  {
    id: 'pss-baseline-host-path',
    why: 'check_hostPathVolumes: hostPath volumes are forbidden at baseline',
    object: pod(
      'host-path',
      {
        volumes: [{ name: 'models', hostPath: { path: '/var/lib/models' } }],
        containers: [container('app', { volumeMounts: [{ name: 'models', mountPath: '/models' }] })],
      },
      BASELINE,
    ),
    offline: podSecurity('host-path', 'baseline', 'hostPath volumes are not allowed', BASELINE),
  },
  {
    id: 'pss-baseline-apparmor-unconfined',
    why: 'check_appArmorProfile: an Unconfined AppArmor profile is forbidden at baseline',
    object: pod('apparmor-unconfined', { securityContext: { appArmorProfile: { type: 'Unconfined' } } }, BASELINE),
    offline: podSecurity('apparmor-unconfined', 'baseline', 'pod: AppArmor profile type Unconfined is not allowed', BASELINE),
  },
  {
    id: 'pss-baseline-selinux-user',
    why: 'check_seLinuxOptions: seLinuxOptions.user may not be set at baseline',
    object: pod('selinux-user', withContainer({ securityContext: { ...container('app').securityContext, seLinuxOptions: { user: 'system_u' } } }), BASELINE),
    offline: podSecurity('selinux-user', 'baseline', 'container app: seLinuxOptions may not set user', BASELINE),
  },
  {
    id: 'pss-baseline-probe-host',
    why: 'check_hostProbesAndhostLifecycle (1.34+): probes may not target another host at baseline',
    object: pod('probe-host', withContainer({ readinessProbe: probe({ httpGet: { path: '/healthz', port: 8080, host: '169.254.169.254' } }) }), BASELINE),
    offline: podSecurity(
      'probe-host',
      'baseline',
      'container app: probes and lifecycle hooks may not target another host \\(169\\.254\\.169\\.254\\)',
      BASELINE,
    ),
  },
  {
    id: 'pss-baseline-sys-admin',
    why: 'check_capabilities_baseline: SYS_ADMIN is not in the baseline set',
    object: pod(
      'sys-admin',
      { containers: [{ name: 'app', image: 'registry.example.com/app:1.0.0', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] },
      BASELINE,
    ),
    offline: podSecurity('sys-admin', 'baseline', 'container app: capabilities SYS_ADMIN may not be added', BASELINE),
  },
];

/** Valid objects the server accepts and the offline checks must too: one per kind family the corpus breaks. */
export const VALID_CONTROLS: readonly KubeObject[] = [
  pod('valid-pod', {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      container('app', {
        ports: [{ name: 'http', containerPort: 8080 }],
        env: [{ name: 'my.env-name', value: 'x' }],
        resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { memory: '1024Mi' } },
        readinessProbe: probe(HTTP_PROBE),
        livenessProbe: probe({ tcpSocket: { port: 'http' } }),
        volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
      }),
    ],
    volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '1Gi' } }],
  }),
  deployment('valid-deployment', { containers: [container('app', { imagePullPolicy: 'IfNotPresent', resources: { limits: { 'nvidia.com/gpu': '1' } } })] }),
  workload('StatefulSet', 'valid-db', { serviceName: 'valid-db', selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['corpus'] }] } }),
  workload('ReplicaSet', 'valid-rs'),
  workload('DaemonSet', 'valid-ds'),
  workload('Job', 'valid-job'),
  service('valid-service', {
    ports: [
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'metrics', port: 9090, protocol: 'TCP' },
    ],
  }),
  configMap('valid.config', { labels: { 'app.kubernetes.io/name': 'corpus', empty: '' }, annotations: { 'Example.com/Owner': 'AI Platform team' } }),
  agent('valid-agent', {}),
  modelConfig('valid-model', {}),
  remoteMcpServer('valid-tools', { protocol: 'STREAMABLE_HTTP' }),
  pod(
    'valid-baseline-pod',
    {
      containers: [
        {
          name: 'app',
          image: 'registry.example.com/app:1.0.0',
          securityContext: { seLinuxOptions: { type: 'container_t' }, appArmorProfile: { type: 'RuntimeDefault' } },
        },
      ],
    },
    BASELINE,
  ),
];

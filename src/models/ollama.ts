import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertPinnedImage } from '../core/image';
import { containerProbes, httpGet } from '../core/probes';
import { RequiredSecret } from '../core/required-secret';
import { assertResources, type ContainerResources } from '../core/resources';
import type { SecretKeyRef } from '../core/secret-ref';
import { OllamaModelPull } from './ollama-model-pull';
import { ollamaServingEnv, validateServing, type OllamaServing } from './ollama-serving';
import { emptyDirMount, WorkloadBuilder, type WorkloadMount, type WorkloadPod } from '../core/workload';
import { brand, isBranded } from '../core/brand';

export interface OllamaGpu {
  /** Number of `nvidia.com/gpu` devices. */
  readonly count: number;
  /**
   * RuntimeClass registered by Talos's nvidia-container-toolkit extension.
   * @default 'nvidia'
   */
  readonly runtimeClassName?: string;
}

export interface OllamaProps extends OllamaServing {
  /** Namespace to run in (restricted Pod Security works: the server runs as a non-root user). */
  readonly namespace: NamespaceInput;
  /**
   * Image, pinned.
   * @default VERSIONS.images.ollama
   */
  readonly image?: string;
  /**
   * Models to pull on every sync besides those its ModelConfigs use (they add theirs), local (`qwen3:8b`)
   * and cloud (`kimi-k2.6:cloud`).
   * @default []
   */
  readonly models?: readonly string[];
  /**
   * An `ollama signin` key (`id_ed25519`) registered with ollama.com, for `:cloud` models. Without it, run
   * `ollama signin` once in the pod; the key then persists on the volume.
   * @default - none
   */
  readonly signinKeySecret?: SecretKeyRef;
  /**
   * Size of the model volume.
   * @default '100Gi'
   */
  readonly storageSize?: string;
  /**
   * StorageClass of the model volume.
   * @default - the cluster default
   */
  readonly storageClassName?: string;
  /**
   * GPU access.
   * @default - CPU only
   */
  readonly gpu?: OllamaGpu;
  /**
   * Container resources.
   * @default - 1 CPU / 4Gi requested, 16Gi memory limit
   */
  readonly resources?: ContainerResources;
  /**
   * Non-root user id the server runs as; it owns the volume through `fsGroup`.
   * @default 1000
   */
  readonly runAsUser?: number;
}

const PORT = 11434;
const DATA_DIR = '/data';
const OLLAMA_MODEL = /^[\w.-]+(\/[\w.-]+)*(:[\w.-]+)?$/;
const OLLAMA_MODEL_NAME_HINT = 'must be an Ollama model name with a tag, such as "qwen3:8b" or "kimi-k2.6:cloud"';

/**
 * Why `model` cannot be pulled as it is, or `undefined` when it can: the one rule for model names in the config
 * and in {@link Ollama.addModel}. An untagged name would pull whatever `latest` is that day.
 */
export function ollamaModelNameProblem(model: string): string | undefined {
  if (!OLLAMA_MODEL.test(model)) return OLLAMA_MODEL_NAME_HINT;
  if (!model.includes(':'))
    return `must name a tag such as "qwen3:8b": untagged, Ollama pulls whatever "latest" is that day (spell out "${model}:latest" to accept that)`;
  return undefined;
}

/**
 * An Ollama server: one replica on a PersistentVolumeClaim (models and the signin key), a Service `ollama`
 * on 11434, typed serving settings (OLLAMA_NUM_PARALLEL so a swarm is not serialized), and a pull Job that
 * makes a fresh cluster serve every declared model.
 * @example
 * ```ts
 * const ollama = new Ollama(chart, 'ollama', {
 *   namespace: 'ollama', numParallel: 4, keepAlive: '30m', models: ['qwen3:8b'],
 *   signinKeySecret: { name: 'ollama-signin', key: 'id_ed25519' }, // for :cloud models
 * });
 * ```
 */
export class Ollama extends Construct {
  /** Service name. */
  public readonly serviceName = 'ollama';
  /** Namespace. */
  public readonly namespace: string;
  /** Service port. */
  public readonly port = PORT;
  /** In-cluster base URL, e.g. `http://ollama.ollama-agents.svc.cluster.local:11434`. */
  public readonly url: string;
  /** Image. */
  public readonly image: string;
  private readonly declaredModels: string[] = [];
  private readonly uid: number;
  private pullJob?: OllamaModelPull;
  /** Pod labels, for network policies. */
  public readonly podLabels: Record<string, string> = { 'app.kubernetes.io/name': 'ollama' };
  /** Pod labels of the model pull Job, for network policies. */
  public readonly pullJobPodLabels: Record<string, string> = { 'app.kubernetes.io/name': 'ollama-pull-models' };
  /** The StatefulSet. */
  public readonly resource: ApiObject;
  /** The server's one pod, e.g. for `kubectl exec`. */
  public readonly podName = `${this.serviceName}-0`;
  /** The Secret the signin key for `:cloud` models comes from, if any. */
  public readonly signinKeySecret?: SecretKeyRef;

  /** True for an Ollama made by any installed copy of this package. */
  public static isOllama(x: unknown): x is Ollama {
    return isBranded(x, 'Ollama');
  }

  constructor(scope: Construct, id: string, props: OllamaProps) {
    super(scope, id);
    brand(this, 'Ollama');
    validateServing(this, props);
    this.namespace = namespaceName(props.namespace);
    this.image = props.image ?? VERSIONS.images.ollama;
    assertPinnedImage(this, 'image', this.image);

    this.url = `http://${this.serviceName}.${this.namespace}.svc.cluster.local:${PORT}`;
    const resources = props.resources ?? { cpuRequest: '1', memoryRequest: '4Gi', memoryLimit: '16Gi' };
    assertResources(this, 'resources', resources);
    if (props.gpu && (!Number.isInteger(props.gpu.count) || props.gpu.count < 1)) {
      throw new Error(`${this.node.path}: gpu.count must be a whole number ≥ 1, got ${props.gpu.count}; omit gpu for CPU-only`);
    }
    this.uid = props.runAsUser ?? 1000;
    this.signinKeySecret = props.signinKeySecret;
    const workload = new WorkloadBuilder(this, {
      name: this.serviceName,
      namespace: this.namespace,
      labels: this.podLabels,
      port: { name: 'http', port: PORT },
    });

    workload.serviceAccount();
    const data = workload.claim({ name: 'ollama-data', storageClassName: props.storageClassName, size: props.storageSize ?? '100Gi', mountPath: DATA_DIR });
    for (const model of props.models ?? []) this.addModel(model);
    workload.service();
    if (props.signinKeySecret) {
      new RequiredSecret(this, 'SigninKey', {
        namespace: this.namespace,
        ref: props.signinKeySecret,
        purpose: 'Ollama signin key (id_ed25519) for :cloud models',
      });
    }
    this.resource = workload.statefulSet(this.pod(props, resources, data));
  }

  /** Every model the server pulls, in the order they were declared. */
  public get models(): readonly string[] {
    return [...this.declaredModels];
  }

  /** The models that run on ollama.com (`kimi-k2.6:cloud`, `gpt-oss:120b-cloud`): they need the server signed in. */
  public get cloudModels(): readonly string[] {
    return this.declaredModels.filter((model) => /:(.+-)?cloud$/.test(model));
  }

  /**
   * Declares a model the pull Job pulls; declaring one twice is harmless. The name needs a tag; `:latest`
   * spelled out is accepted with a warning on stderr.
   */
  public addModel(model: string): void {
    const problem = typeof model === 'string' ? ollamaModelNameProblem(model) : OLLAMA_MODEL_NAME_HINT;
    if (problem) throw new Error(`${this.node.path}: model ${JSON.stringify(model)} ${problem}`);
    if (this.declaredModels.includes(model)) return;
    if (model.endsWith(':latest')) {
      process.stderr.write(
        `warning: ${this.node.path}: model "${model}" follows "latest": a later sync may pull a different model; pin a tag such as "qwen3:8b"\n`,
      );
    }
    this.declaredModels.push(model);
    // The Job exists once there is something to pull; it reads the list at synth time.
    this.pullJob ??= new OllamaModelPull(this, 'Pull', { ollama: this, runAsUser: this.uid });
  }

  private pod(props: OllamaProps, resources: ContainerResources, data: WorkloadMount): WorkloadPod {
    const signinKey = props.signinKeySecret && {
      name: 'signin-key',
      mountPath: `${DATA_DIR}/.ollama/id_ed25519`,
      subPath: 'id_ed25519',
      readOnly: true,
      volume: { secret: { secretName: props.signinKeySecret.name, defaultMode: 0o440, items: [{ key: props.signinKeySecret.key, path: 'id_ed25519' }] } },
    };
    return {
      user: this.uid,
      spec: { runtimeClassName: props.gpu ? (props.gpu.runtimeClassName ?? 'nvidia') : undefined },
      container: {
        name: 'ollama',
        image: this.image,
        args: ['serve'],
        env: ollamaServingEnv(props, PORT, DATA_DIR),
        resources,
        extendedLimits: props.gpu ? { 'nvidia.com/gpu': String(props.gpu.count) } : undefined,
        probes: containerProbes(httpGet('/', PORT), { failureThreshold: 60, periodSeconds: 5 }, httpGet('/api/version', PORT)),
        mounts: [data, emptyDirMount('tmp', '/tmp', '1Gi'), ...(signinKey ? [signinKey] : [])],
      },
    };
  }
}

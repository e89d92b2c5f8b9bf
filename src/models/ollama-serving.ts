import type { k8s } from '../core/k8s';
import type { IConstruct } from 'constructs';
import { isKeepAlive } from '../core/duration';

/** Ollama's serving settings, rendered as OLLAMA_* environment variables. */
export interface OllamaServing {
  /**
   * Parallel requests per loaded model (OLLAMA_NUM_PARALLEL). Ollama's own default is 1, which queues a
   * swarm of agents behind one request; KV-cache memory grows with parallel × context length.
   * @default 4
   * @example 8
   */
  readonly numParallel?: number;
  /**
   * Models kept loaded at once (OLLAMA_MAX_LOADED_MODELS).
   * @default - Ollama's automatic choice (3 per GPU, or 3 on CPU)
   * @example 3
   */
  readonly maxLoadedModels?: number;
  /**
   * Queued requests before Ollama answers 503 (OLLAMA_MAX_QUEUE).
   * @default - Ollama's 512
   * @example 64
   */
  readonly maxQueue?: number;
  /**
   * How long an idle model stays loaded (OLLAMA_KEEP_ALIVE): a Go duration such as `30m`, `1h30m`, `-1`
   * (forever) or `0` (unload at once).
   * @default - Ollama's 5m
   * @example '30m'
   */
  readonly keepAlive?: string;
  /**
   * Default context length in tokens (OLLAMA_CONTEXT_LENGTH), at least 256.
   * @default - chosen by Ollama from the available memory
   * @example 32768
   */
  readonly contextLength?: number;
  /**
   * Flash attention (OLLAMA_FLASH_ATTENTION).
   * @default - Ollama's automatic choice
   * @example true
   */
  readonly flashAttention?: boolean;
}

function assertWholeNumber(scope: IConstruct, field: string, value: number | undefined, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${scope.node.path}: ${field} must be a whole number ≥ ${min}, got ${value}`);
  }
}

/** Throws a construct-scoped error for any nonsense setting. */
export function validateServing(scope: IConstruct, serving: OllamaServing): void {
  assertWholeNumber(scope, 'numParallel', serving.numParallel, 1);
  assertWholeNumber(scope, 'maxLoadedModels', serving.maxLoadedModels, 1);
  assertWholeNumber(scope, 'maxQueue', serving.maxQueue, 1);
  assertWholeNumber(scope, 'contextLength', serving.contextLength, 256);
  if (serving.keepAlive !== undefined && !isKeepAlive(serving.keepAlive)) {
    throw new Error(`${scope.node.path}: keepAlive "${serving.keepAlive}" is not a duration; use e.g. "30m", "1h", "-1" (forever) or "0"`);
  }
}

/** Parallel requests per model unless configured: Ollama's own 1 would queue a swarm behind one request. */
export const DEFAULT_NUM_PARALLEL = 4;

/** The container environment for the settings. HOME and OLLAMA_MODELS live on the volume. */
export function ollamaServingEnv(serving: OllamaServing, port: number, dataDir: string): k8s.EnvVar[] {
  const optional: Array<[string, string | number | boolean | undefined]> = [
    ['OLLAMA_MAX_LOADED_MODELS', serving.maxLoadedModels],
    ['OLLAMA_MAX_QUEUE', serving.maxQueue],
    ['OLLAMA_KEEP_ALIVE', serving.keepAlive],
    ['OLLAMA_CONTEXT_LENGTH', serving.contextLength],
    ['OLLAMA_FLASH_ATTENTION', serving.flashAttention === undefined ? undefined : serving.flashAttention ? '1' : '0'],
  ];
  return [
    { name: 'HOME', value: dataDir },
    { name: 'OLLAMA_MODELS', value: `${dataDir}/models` },
    { name: 'OLLAMA_HOST', value: `0.0.0.0:${port}` },
    { name: 'OLLAMA_NUM_PARALLEL', value: String(serving.numParallel ?? DEFAULT_NUM_PARALLEL) },
    ...optional.filter(([, v]) => v !== undefined).map(([name, value]) => ({ name, value: String(value) })),
  ];
}

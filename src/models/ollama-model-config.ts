import type { Construct } from 'constructs';
import { ModelConfigSpecProvider } from '../../imports/kagent.dev';
import { suggestName } from '../core/names';
import { ModelConfig, type ModelConfigBaseProps } from './model-config';
import { assertConstructOf } from '../core/construct-ref';
import { Ollama } from './ollama';

export interface OllamaModelConfigProps extends ModelConfigBaseProps {
  /** The Ollama server that serves the model; its Service URL becomes `spec.ollama.host`. */
  readonly ollama: Ollama;
  /**
   * Ollama request options, e.g. `{ num_ctx: '32768' }` (kagent forwards them as strings).
   * @default - none
   */
  readonly options?: Record<string, string>;
}

/**
 * A ModelConfig for a model served by an {@link Ollama} construct, local or `:cloud`. The default name follows
 * the seed: `<ollama namespace>-<model with every non-alphanumeric run replaced by "-">`,
 * e.g. `ollama-agents-kimi-k2-6-cloud`. The model is added to the server's pull list.
 * @example
 * ```ts
 * const kimi = new OllamaModelConfig(chart, 'kimi', { ollama, model: 'kimi-k2.6:cloud', options: { num_ctx: '32768' } });
 * ```
 */
export class OllamaModelConfig extends ModelConfig {
  /** The serving Ollama. */
  public readonly ollama: Ollama;

  constructor(scope: Construct, id: string, props: OllamaModelConfigProps) {
    assertConstructOf(scope, `${id}: ollama`, props.ollama, 'Ollama', 'pass the Ollama construct that serves the model');
    super(scope, id, props, suggestName(`${props.ollama.namespace}-${props.model ?? ''}`), {
      provider: ModelConfigSpecProvider.OLLAMA,
      // The controller rejects an Ollama ModelConfig without this block ("ollama model config is required").
      block: { ollama: { host: props.ollama.url, options: props.options } },
    });
    this.ollama = props.ollama;
    // The server pulls every model its ModelConfigs use.
    props.ollama.addModel(this.model);
  }
}

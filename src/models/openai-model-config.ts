import type { Construct } from 'constructs';
import { ModelConfigSpecProvider, type ModelConfigSpecOpenAi } from '../../imports/kagent.dev';
import { suggestName } from '../core/names';
import type { SecretKeyRef } from '../core/secret-ref';
import { ModelConfig, type ModelConfigBaseProps } from './model-config';

export interface OpenAiModelConfigProps extends ModelConfigBaseProps {
  /** Secret and key holding the API key. */
  readonly apiKeySecret: SecretKeyRef;
  /**
   * OpenAI-compatible base URL (e.g. a LiteLLM or vLLM endpoint).
   * @default - api.openai.com
   */
  readonly baseUrl?: string;
  /**
   * Sampling temperature, as the string kagent expects (e.g. "0.2").
   * @default - provider default
   */
  readonly temperature?: string;
  /**
   * Reasoning effort for reasoning models.
   * @default - provider default
   */
  readonly reasoningEffort?: ModelConfigSpecOpenAi['reasoningEffort'];
}

/** A ModelConfig for OpenAI or an OpenAI-compatible endpoint. Default name: `openai-<model>`. */
export class OpenAiModelConfig extends ModelConfig {
  constructor(scope: Construct, id: string, props: OpenAiModelConfigProps) {
    super(scope, id, props, suggestName(`openai-${props.model ?? ''}`), {
      provider: ModelConfigSpecProvider.OPEN_AI,
      apiKeySecret: props.apiKeySecret,
      block: { openAi: { baseUrl: props.baseUrl, temperature: props.temperature, reasoningEffort: props.reasoningEffort } },
    });
  }
}

import type { Construct } from 'constructs';
import { ModelConfigSpecProvider } from '../../imports/kagent.dev';
import { suggestName } from '../core/names';
import type { SecretKeyRef } from '../core/secret-ref';
import { ModelConfig, type ModelConfigBaseProps } from './model-config';

export interface AnthropicModelConfigProps extends ModelConfigBaseProps {
  /** Secret and key holding the API key. */
  readonly apiKeySecret: SecretKeyRef;
  /**
   * Maximum output tokens.
   * @default - provider default
   */
  readonly maxTokens?: number;
}

/** A ModelConfig for Anthropic. Default name: `anthropic-<model>`. */
export class AnthropicModelConfig extends ModelConfig {
  constructor(scope: Construct, id: string, props: AnthropicModelConfigProps) {
    if (props.maxTokens !== undefined && (!Number.isInteger(props.maxTokens) || props.maxTokens < 1)) {
      throw new Error(`${scope.node.path}/${id}: maxTokens must be a whole number ≥ 1, got ${props.maxTokens}`);
    }
    super(scope, id, props, suggestName(`anthropic-${props.model ?? ''}`), {
      provider: ModelConfigSpecProvider.ANTHROPIC,
      apiKeySecret: props.apiKeySecret,
      block: { anthropic: { maxTokens: props.maxTokens } },
    });
  }
}

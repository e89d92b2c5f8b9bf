import type { Construct } from 'constructs';
import type { ModelConfigInput, PlatformConfig } from './config/platform-config';
import { AnthropicModelConfig } from '../models/anthropic-model-config';
import type { ModelConfig } from '../models/model-config';
import type { Ollama } from '../models/ollama';
import { OllamaModelConfig } from '../models/ollama-model-config';
import { OpenAiModelConfig } from '../models/openai-model-config';

/** One ModelConfig per entry of `config.models`, by key; Ollama models join the server's pull list. */
export function buildModels(scope: Construct, config: PlatformConfig, ollama: Ollama | undefined): Map<string, ModelConfig> {
  return new Map(Object.entries(config.models).map(([key, model]) => [key, buildModel(scope, key, model, ollama)]));
}

function buildModel(scope: Construct, key: string, model: ModelConfigInput, ollama: Ollama | undefined): ModelConfig {
  switch (model.provider) {
    case 'ollama':
      if (!ollama) throw new Error(`${scope.node.path}: config.models.${key} is an Ollama model, but config.ollama is not set; add it or use another provider`);
      return new OllamaModelConfig(scope, `model-${key}`, { ollama, model: model.model, options: model.options });
    case 'openai':
      return new OpenAiModelConfig(scope, `model-${key}`, { model: model.model, apiKeySecret: model.apiKeySecret, baseUrl: model.baseUrl });
    case 'anthropic':
      return new AnthropicModelConfig(scope, `model-${key}`, { model: model.model, apiKeySecret: model.apiKeySecret, maxTokens: model.maxTokens });
  }
}

export { ModelConfig, type ModelConfigBaseProps } from './model-config';
export { Ollama, type OllamaGpu, type OllamaProps } from './ollama';
export { OllamaModelConfig, type OllamaModelConfigProps } from './ollama-model-config';
export { OpenAiModelConfig, type OpenAiModelConfigProps } from './openai-model-config';
export { AnthropicModelConfig, type AnthropicModelConfigProps } from './anthropic-model-config';
export type { OllamaServing } from './ollama-serving';

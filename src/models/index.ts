export * from './anthropic-model-config';
export * from './model-config';
export * from './ollama';
export * from './ollama-model-config';
export * from './ollama-model-pull';
export type { OllamaServing } from './ollama-serving';
export * from './openai-model-config';

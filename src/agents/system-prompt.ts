import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { IConstruct } from 'constructs';
import { PROMPT_DIR } from '../paths';

/** Where an agent's system message comes from. */
export type SystemPrompt =
  | { readonly inline: string }
  | { readonly file: string }
  /** Generated at synth time, after all wiring (e.g. from an orchestrator's delegates). */
  | { readonly generate: (scope: IConstruct) => string };

/** A system message given inline. */
export function inlinePrompt(text: string): SystemPrompt {
  return { inline: text };
}

/** A system message kept in a Markdown file under `agents/` (long prompts are reviewed like code). */
export function promptFile(file: string): SystemPrompt {
  return { file };
}

/**
 * Resolves a prompt to a producer of its text. Files are read now, so a missing or empty file fails with the
 * construct path before anything is written.
 */
export function loadPrompt(scope: IConstruct, prompt: SystemPrompt, promptDir: string = PROMPT_DIR): () => string {
  if ('generate' in prompt) return () => prompt.generate(scope);
  const text = readPromptText(scope, prompt, promptDir);
  return () => text;
}

function readPromptText(scope: IConstruct, prompt: { inline: string } | { file: string }, promptDir: string): string {
  if ('inline' in prompt) {
    if (!prompt.inline.trim()) throw new Error(`${scope.node.path}: systemPrompt is empty; say what the agent does and how`);
    return prompt.inline;
  }
  const relative = normalize(prompt.file);
  if (relative.startsWith('..') || !relative.endsWith('.md')) {
    throw new Error(`${scope.node.path}: prompt file "${prompt.file}" must be a .md file inside agents/`);
  }
  const path = join(promptDir, relative);
  if (!existsSync(path)) {
    throw new Error(`${scope.node.path}: prompt file agents/${relative} does not exist; create it or fix the name`);
  }
  const text = readFileSync(path, 'utf8');
  if (!text.trim()) throw new Error(`${scope.node.path}: prompt file agents/${relative} is empty`);
  return text;
}

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { IConstruct } from 'constructs';

/** Where an agent's system message comes from. */
export type SystemPrompt =
  | { readonly inline: string }
  /** A Markdown or text file of the consumer's project; relative paths resolve against `baseDir`. */
  | { readonly file: string; readonly baseDir?: string; readonly baseDirSetting?: string }
  /** Generated at synth time, after all wiring (e.g. from an orchestrator's delegates). */
  | { readonly generate: (scope: IConstruct) => string };

/** Options of {@link promptFile}. */
export interface PromptFileOptions {
  /**
   * Folder a relative `file` resolves against.
   * @default - the current working directory (where `cdk8s synth` runs: your project)
   */
  readonly baseDir?: string;
  /**
   * Where `baseDir` was set, named by the error for a missing file so it is fixed there.
   * @default 'promptFile(file, { baseDir })'
   */
  readonly baseDirSetting?: string;
}

/** A system message given inline. */
export function inlinePrompt(text: string): SystemPrompt {
  return { inline: text };
}

/**
 * A system message kept in a file of your project (long prompts are reviewed like code), e.g.
 * `promptFile('prompts/po.md')`. Relative to the working directory unless `baseDir` says otherwise.
 */
export function promptFile(file: string, options: PromptFileOptions = {}): SystemPrompt {
  return { file, baseDir: options.baseDir, baseDirSetting: options.baseDirSetting };
}

/**
 * Resolves a prompt to a producer of its text. Files are read now, so a missing or empty file fails with the
 * construct path before anything is written.
 */
export function loadPrompt(scope: IConstruct, prompt: SystemPrompt): () => string {
  if (!prompt || typeof prompt !== 'object') {
    throw new Error(`${scope.node.path}: systemPrompt must be inlinePrompt("…") or promptFile("prompts/x.md"), got ${JSON.stringify(prompt)}`);
  }
  if ('generate' in prompt) return () => prompt.generate(scope);
  const text = 'inline' in prompt ? prompt.inline : readPromptFile(scope, prompt);
  if (!text?.trim()) throw new Error(`${scope.node.path}: systemPrompt is empty; say what the agent does and how`);
  return () => text;
}

function readPromptFile(scope: IConstruct, { file, baseDir, baseDirSetting }: Extract<SystemPrompt, { file: string }>): string {
  if (!/\.(md|txt)$/.test(file)) throw new Error(`${scope.node.path}: prompt file "${file}" must be a .md or .txt file`);
  const path = resolve(baseDir ?? process.cwd(), file);
  if (!existsSync(path)) {
    const setting = baseDirSetting ?? 'promptFile(file, { baseDir })';
    throw new Error(`${scope.node.path}: prompt file ${path} does not exist; create it, or fix the name or the base folder (${setting})`);
  }
  return readFileSync(path, 'utf8');
}

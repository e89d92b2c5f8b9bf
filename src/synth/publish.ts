import { cpSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ManifestValidator, type KubeObject } from '../validation/manifest-validator';
import type { RenderedFile } from './render-tree';

/** Kinds that live outside namespaces; every other object must carry `metadata.namespace`. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'RuntimeClass', 'StorageClass', 'PersistentVolume']);

/** Thrown when the synthesized tree is invalid; `dist/` is left as it was. */
export class SynthesisError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`synthesis failed, dist/ was left untouched:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SynthesisError';
  }
}

/** Checks every object of the tree against the pinned schemas and the namespace rule. */
export function checkTree(files: readonly RenderedFile[], validator = new ManifestValidator()): string[] {
  const problems: string[] = [];
  for (const file of files) {
    for (const object of file.objects) {
      problems.push(...validator.validate(object, `dist/${file.path}`), ...namespaceProblems(object, file.path));
    }
  }
  return problems;
}

function namespaceProblems(object: KubeObject, path: string): string[] {
  if (CLUSTER_SCOPED.has(String(object.kind)) || object.metadata?.namespace) return [];
  return [`dist/${path}: ${object.kind} ${object.metadata?.name}: /metadata/namespace: namespaced objects must set their namespace`];
}

export interface PublishOptions {
  /** The tree's final location. */
  readonly distDir: string;
  /** A copy of the tree for the cdk8s CLI to list (its `output`); written before `distDir` is swapped. */
  readonly stagingDir?: string;
  readonly validator?: ManifestValidator;
}

/**
 * Validates the tree, then replaces `distDir` in one rename, so a reader never sees a half-written or
 * empty `dist/`: a failing synth leaves the previous tree byte-identical.
 */
export function publish(files: readonly RenderedFile[], options: PublishOptions): void {
  const problems = checkTree(files, options.validator);
  if (problems.length > 0) throw new SynthesisError(problems);
  const next = `${options.distDir}.next-${process.pid}`;
  const previous = `${options.distDir}.previous-${process.pid}`;
  writeFiles(next, files);
  if (options.stagingDir) {
    rmSync(options.stagingDir, { recursive: true, force: true });
    cpSync(next, options.stagingDir, { recursive: true });
  }
  const hadPrevious = existsSync(options.distDir);
  if (hadPrevious) renameSync(options.distDir, previous);
  renameSync(next, options.distDir);
  if (hadPrevious) rmSync(previous, { recursive: true, force: true });
}

function writeFiles(root: string, files: readonly RenderedFile[]): void {
  rmSync(root, { recursive: true, force: true });
  for (const file of files) {
    const target = join(root, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
  }
}

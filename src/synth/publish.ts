import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PodSecurityLevel } from '../core/pod-security-levels';
import { chartValuesProblems, ociHelmSources } from '../validation/chart-values';
import { admittedPodsOf } from '../validation/core-pod-specs';
import { ManifestValidator } from '../validation/manifest-validator';
import type { KubeObject } from '../core/kube-object';
import { podSecurityAdmissionViolations } from '../validation/pod-security-controls';
import { ValidatedObjects } from '../validation/validated-objects';
import { objectDigest, type RenderedFile } from './manifest-file';
import { guardAgainstCliOutput, overlaps, PublishedCopy } from './published-copy';
import { announcePublished, type PublishSummary } from './synth-session';

export type { PublishSummary } from './synth-session';

/** Kinds that live outside namespaces; every other object must carry `metadata.namespace`. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'RuntimeClass',
  'StorageClass',
  'PersistentVolume',
]);

/** Thrown when the synthesized tree is invalid; `dist/` is left as it was. */
export class SynthesisError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`synthesis failed, dist/ was left untouched:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SynthesisError';
  }
}

/** Talos enforces this level in every namespace that does not say otherwise. */
const TALOS_DEFAULT_LEVEL: PodSecurityLevel = 'baseline';

/**
 * Checks every object of the tree against the pinned schemas and their CEL rules, the namespace rule, every pod
 * against the Pod Security level its namespace enforces (so a pod the cluster would reject fails synthesis), and
 * the Helm values of every Argo CD Application against its pinned chart. kagent objects are checked against the
 * schemas of the kagent version the tree installs (its `kagent-crds` chart), unless a validator is given.
 */
export function checkTree(files: readonly RenderedFile[], validator?: ManifestValidator): string[] {
  const problems: string[] = [...duplicateProblems(files)];
  const selected = validator ?? treeValidator(files, problems);
  const validated = ValidatedObjects.for(selected?.schemaKey);
  const levels = enforcedLevels(files);
  for (const file of files) {
    // Schema, CEL and chart-value checks depend on the object alone: skip them for a manifest that passed before.
    const digest = validated && file.objects.length === 1 ? objectDigest(file.objects[0]) : undefined;
    const checkObject = !(digest && validated!.passed(digest));
    for (const object of file.objects) {
      if (checkObject) {
        const objectProblems = [...(selected?.validate(object, `dist/${file.path}`) ?? []), ...helmValuesProblems(object, file.path)];
        if (digest && selected && objectProblems.length === 0) validated!.recordPass(digest);
        problems.push(...objectProblems);
      }
      problems.push(...namespaceProblems(object, file.path));
      for (const pod of admittedPodsOf(object)) {
        const level = levels.get(pod.namespace) ?? TALOS_DEFAULT_LEVEL;
        for (const violation of podSecurityAdmissionViolations(pod.spec, level)) {
          problems.push(`dist/${file.path}: ${pod.source}: violates Pod Security "${level}" of namespace ${pod.namespace}: ${violation}`);
        }
      }
    }
  }
  validated?.save();
  return problems;
}

/** The shared validator for the kagent version the tree installs; undefined (and a problem) if it has no schemas. */
function treeValidator(files: readonly RenderedFile[], problems: string[]): ManifestValidator | undefined {
  const installed = installedKagentVersion(files);
  const supported = ManifestValidator.kagentVersions();
  if (installed && !supported.includes(installed.version)) {
    problems.push(`dist/${installed.file}: installs kagent-crds ${installed.version}, which has no pinned kagent schemas; supported: ${supported.join(', ')}`);
    return undefined;
  }
  return ManifestValidator.shared({ kagentVersion: installed?.version });
}

/** The version of the `kagent-crds` chart an Application of the tree installs, with its file. */
function installedKagentVersion(files: readonly RenderedFile[]): { version: string; file: string } | undefined {
  for (const file of files) {
    for (const object of file.objects) {
      const source = ociHelmSources(object).find((s) => s.chart === 'kagent-crds');
      if (source) return { version: source.version, file: file.path };
    }
  }
  return undefined;
}

/** Helm values of an Argo CD Application's OCI chart sources that the pinned chart does not have. */
function helmValuesProblems(object: KubeObject, path: string): string[] {
  const where = `dist/${path}: ${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}`;
  return ociHelmSources(object).flatMap((source) => {
    const sets = source.valueSets.length > 0 ? source.valueSets : [{ pointer: source.pointer, values: {} }];
    return sets.flatMap(({ pointer, values }) => chartValuesProblems(source.chart, source.version, values).map((p) => `${where}: ${pointer}: ${p}`));
  });
}

/** Objects that two files (two Argo CD applications) would both own. */
function duplicateProblems(files: readonly RenderedFile[]): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    for (const object of file.objects) {
      const id = `${object.apiVersion} ${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      const owner = owners.get(id);
      if (owner) {
        const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
        problems.push(`dist/${file.path}: ${object.kind} ${ns}${object.metadata?.name} is also defined in dist/${owner}; Argo CD apps would fight over it`);
      } else owners.set(id, file.path);
    }
  }
  return problems;
}

/** The `pod-security.kubernetes.io/enforce` level of every Namespace in the tree. */
export function enforcedLevels(files: readonly RenderedFile[]): Map<string, PodSecurityLevel> {
  const levels = new Map<string, PodSecurityLevel>();
  for (const object of files.flatMap((f) => f.objects)) {
    const labels = (object.metadata as { labels?: Record<string, string> } | undefined)?.labels;
    const level = labels?.['pod-security.kubernetes.io/enforce'];
    if (object.kind === 'Namespace' && level) levels.set(String(object.metadata?.name), level as PodSecurityLevel);
  }
  return levels;
}

function namespaceProblems(object: KubeObject, path: string): string[] {
  if (CLUSTER_SCOPED.has(String(object.kind)) || object.metadata?.namespace) return [];
  return [`dist/${path}: ${object.kind} ${object.metadata?.name}: /metadata/namespace: namespaced objects must set their namespace`];
}

export interface PublishOptions {
  /** The tree's final location. */
  readonly distDir: string;
  /**
   * The cdk8s CLI's `output` folder: made a symlink to `distDir` so the CLI lists what was published. (The CLI
   * removes it before the next run; removing a symlink never touches its target.)
   */
  readonly stagingDir?: string;
  readonly validator?: ManifestValidator;
  /**
   * Replaces the tree check (e.g. a fleet's per-cluster checks).
   * @default - checkTree with `validator`
   */
  readonly check?: (files: readonly RenderedFile[]) => string[];
}

/**
 * Validates the tree, then replaces `distDir` in one rename, so a reader never sees a half-written or
 * empty `dist/`: a failing synth leaves the previous tree byte-identical. Returns what changed.
 */
export function publish(files: readonly RenderedFile[], options: PublishOptions): PublishSummary {
  // Before anything can fail: put back a tree the cdk8s CLI deleted (see PublishedCopy).
  guardAgainstCliOutput(options.distDir, options.stagingDir);
  const problems = options.check ? options.check(files) : checkTree(files, options.validator);
  if (problems.length > 0) throw new SynthesisError(problems);
  const published = comparePublished(options.distDir, files);
  // Nothing changed: leave the published tree (and its inodes) alone.
  if (!published.identical) replaceTree(files, options.distDir, published.unchanged);
  const copy = PublishedCopy.of(options.distDir);
  if (!published.identical || !copy.exists) copy.refresh();
  // Linking the CLI's output to the tree it is (or holds) would put a link to itself into dist/.
  if (options.stagingDir && !overlaps(options.stagingDir, options.distDir)) {
    rmSync(options.stagingDir, { recursive: true, force: true });
    symlinkSync(resolve(options.distDir), options.stagingDir, 'dir');
  }
  const summary = summarize(options.distDir, files.length, published);
  // When `agent-platform-cdk8s synth` runs this app, it prints the summary.
  announcePublished(summary);
  return summary;
}

function summarize(distDir: string, count: number, published: ComparedTree): PublishSummary {
  const { unchanged, changed, previousCount } = published;
  return {
    distDir: resolve(distDir),
    files: count,
    added: count - unchanged.size - changed,
    changed,
    unchanged: unchanged.size,
    removed: previousCount - unchanged.size - changed,
  };
}

/** The new tree against the published one. */
interface ComparedTree {
  /** Paths whose published file already holds the new bytes. */
  readonly unchanged: Set<string>;
  /** How many published files hold other bytes. */
  readonly changed: number;
  /** Files in the published tree. */
  readonly previousCount: number;
  /** Same files, same bytes, nothing more. */
  readonly identical: boolean;
}

/** Which published files already hold the new bytes, and whether the whole tree does (same files, nothing more). */
function comparePublished(dir: string, files: readonly RenderedFile[]): ComparedTree {
  if (!existsSync(dir)) return { unchanged: new Set(), changed: 0, previousCount: 0, identical: false };
  const unchanged = new Set<string>();
  let changed = 0;
  for (const file of files) {
    const before = readIfPresent(join(dir, file.path));
    if (before === file.content) unchanged.add(file.path);
    else if (before !== undefined) changed++;
  }
  const previousCount = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length;
  return { unchanged, changed, previousCount, identical: unchanged.size === files.length && previousCount === files.length };
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes the tree beside `distDir`, then swaps it in with one rename. */
function replaceTree(files: readonly RenderedFile[], distDir: string, unchanged: ReadonlySet<string>): void {
  const next = `${distDir}.next-${process.pid}`;
  const previous = `${distDir}.previous-${process.pid}`;
  writeFiles(next, files, distDir, unchanged);
  const hadPrevious = existsSync(distDir);
  if (hadPrevious) renameSync(distDir, previous);
  renameSync(next, distDir);
  if (hadPrevious) rmSync(previous, { recursive: true, force: true });
}

/**
 * Writes the tree into `root`. A file whose bytes equal the one already published is hard-linked from there
 * instead: on a re-synth most files are unchanged, and a link costs a fraction of creating a file.
 */
function writeFiles(root: string, files: readonly RenderedFile[], publishedDir: string, unchanged: ReadonlySet<string>): void {
  rmSync(root, { recursive: true, force: true });
  const folders = new Set<string>();
  for (const file of files) {
    const target = join(root, file.path);
    if (!folders.has(dirname(target))) mkdirSync(dirname(target), { recursive: true });
    folders.add(dirname(target));
    if (!(unchanged.has(file.path) && linked(join(publishedDir, file.path), target))) writeFileSync(target, file.content);
  }
}

function linked(published: string, target: string): boolean {
  try {
    linkSync(published, target);
    return true;
  } catch {
    // Links unsupported here: write it.
    return false;
  }
}

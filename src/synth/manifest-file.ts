import { hash } from 'node:crypto';
import * as yaml from 'js-yaml';
import { renderInWorkers, writeInWorkers, type FileStamp, type YamlRendering } from './manifest-workers';
import type { RenderedFile } from './render-tree';
import type { KubeObject } from '../validation/manifest-validator';

/** How every manifest in `dist/` is dumped. */
export const YAML_OPTIONS: yaml.DumpOptions = { noRefs: true, lineWidth: -1, quotingType: '"' };
/** Everything a manifest's bytes depend on besides its object: another js-yaml or other options give other digests. */
const RENDERING = `js-yaml ${(require('js-yaml/package.json') as { version: string }).version} ${JSON.stringify(YAML_OPTIONS)}\0`;

/** Serializes one object the way every file in `dist/` is written. */
export function toYaml(object: unknown): string {
  return yaml.dump(object, YAML_OPTIONS);
}

/** A digest of bytes, in the form of {@link RenderedFile.digest}. */
export function contentDigest(content: string): string {
  return hash('sha1', content, 'base64');
}

// Per object, computed once: its digest and its YAML. (Not its JSON: kept for every object of a large tree,
// those strings made the garbage collector's work grow more than stringifying again for a worker costs.)
const digests = new WeakMap<object, string>();
const yamls = new WeakMap<object, string>();

/** A digest of an object's manifest, from its JSON (computed once per object). */
export function objectDigest(object: KubeObject): string {
  let digest = digests.get(object);
  if (digest === undefined) digests.set(object, (digest = hash('sha1', RENDERING + JSON.stringify(object), 'base64')));
  return digest;
}

function yamlOf(object: KubeObject): string {
  let text = yamls.get(object);
  if (text === undefined) yamls.set(object, (text = toYaml(object)));
  return text;
}

/** The file's digest: its own, or one of its content. */
export function digestOf(file: RenderedFile): string {
  return file.digest ?? contentDigest(file.content);
}

/**
 * Renders the YAML of these files' objects ahead of reading it: spread over worker threads when there are
 * enough of them to pay for starting the workers (a first synth of thousands of agents), else left to be
 * rendered on first read.
 */
export function renderManifests(files: readonly RenderedFile[]): void {
  const pending = files.flatMap((f) => (isUnrendered(f) ? [f.objects[0]] : []));
  renderInWorkers(pending, MANIFEST_RENDERING)?.forEach((text, i) => yamls.set(pending[i], text));
}

/**
 * Writes each file to its target (whose folder exists) with `write`, and returns the stamps in order. When
 * thousands of manifests are not rendered yet (a first synth), worker threads render and write shares of them.
 */
export function writeRenderedFiles(files: ReadonlyArray<{ readonly file: RenderedFile; readonly target: string }>, write: (target: string, content: string) => FileStamp): FileStamp[] {
  const unrendered = files.filter(({ file }) => isUnrendered(file));
  const stamps = new Map<string, FileStamp>();
  writeInWorkers(unrendered.map(({ file, target }) => ({ object: file.objects[0], target })), MANIFEST_RENDERING, (m) => write(m.target, yamlOf(m.object)))
    ?.forEach((stamp, i) => stamps.set(unrendered[i].target, stamp));
  return files.map(({ file, target }) => stamps.get(target) ?? write(target, file.content));
}

const MANIFEST_RENDERING: YamlRendering<KubeObject> = { jsonOf: (o) => JSON.stringify(o), render: yamlOf, options: YAML_OPTIONS };

/** A manifest of one object whose YAML has not been rendered yet. */
function isUnrendered(file: RenderedFile): boolean {
  return file.objects.length === 1 && !yamls.has(file.objects[0]);
}

/**
 * The file of a manifest of one object. Its YAML is rendered when first read: dumping YAML is the largest part
 * of rendering, and a re-synth does not need the bytes of a file it keeps (see PublishRecord). Its digest comes
 * from the object's JSON, an order of magnitude cheaper to produce. (Getters of a plain object, so a copy made
 * with `{ ...file }` still has both.)
 */
export function manifestFile(path: string, object: KubeObject): RenderedFile {
  return {
    path,
    objects: [object],
    get content() {
      return yamlOf(object);
    },
    get digest() {
      return objectDigest(object);
    },
  };
}

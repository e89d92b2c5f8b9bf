import { hash } from 'node:crypto';
import * as yaml from 'js-yaml';
import type { KubeObject } from '../core/kube-object';

/** One file of the synthesized tree, path relative to `dist/`. */
export interface RenderedFile {
  readonly path: string;
  /** The file's bytes (a manifest's are rendered when first read). */
  readonly content: string;
  /** The objects in a manifest file (empty for extra files). */
  readonly objects: readonly KubeObject[];
}

/** How every manifest in `dist/` is dumped. */
export const YAML_OPTIONS: yaml.DumpOptions = { noRefs: true, lineWidth: -1, quotingType: '"' };
/** Everything a manifest's bytes depend on besides its object: another js-yaml or other options give other digests. */
const RENDERING = `js-yaml ${(require('js-yaml/package.json') as { version: string }).version} ${JSON.stringify(YAML_OPTIONS)}\0`;

/** Serializes one object the way every file in `dist/` is written. */
export function toYaml(object: unknown): string {
  return yaml.dump(object, YAML_OPTIONS);
}

/** A digest of an object's manifest, from its JSON: what the record of validated objects is keyed by. */
export function objectDigest(object: KubeObject): string {
  return hash('sha1', RENDERING + JSON.stringify(object), 'base64');
}

/**
 * The file of a manifest of one object. Its YAML is rendered when first read, once: a failing synth never
 * renders it. (A getter of a plain object, so a copy made with `{ ...file }` still has it.)
 */
export function manifestFile(path: string, object: KubeObject): RenderedFile {
  let content: string | undefined;
  return {
    path,
    objects: [object],
    get content() {
      return (content ??= toYaml(object));
    },
  };
}

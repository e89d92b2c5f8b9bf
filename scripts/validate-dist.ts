/**
 * `npm run validate [dir]`: checks every object in dist/ (or `dir`) offline against the pinned schemas (core kinds
 * against the Kubernetes OpenAPI types, custom resources against their CRDs and CRD CEL rules, kagent objects
 * against the kagent version the tree installs), every pod against its namespace's Pod Security level, and
 * every Argo CD Application's Helm values against its pinned chart. Exits non-zero with one line per problem.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { checkTree } from '../src/synth/publish';
import type { RenderedFile } from '../src/synth/render-tree';
import type { KubeObject } from '../src/validation/manifest-validator';

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? manifests(path) : path.endsWith('.yaml') ? [path] : [];
  });
}

const DIST_DIR = resolve(process.argv[2] ?? 'dist');

// bootstrap/ holds patches for `kubectl patch`, not objects.
const files: RenderedFile[] = manifests(DIST_DIR)
  .map((path) => relative(DIST_DIR, path))
  .filter((path) => !path.startsWith('bootstrap/'))
  .sort()
  .map((path) => {
    const content = readFileSync(join(DIST_DIR, path), 'utf8');
    return { path, content, objects: yaml.loadAll(content).filter(Boolean) as KubeObject[] };
  });
const problems = checkTree(files);
const count = files.reduce((n, f) => n + f.objects.length, 0);
if (problems.length > 0) {
  console.error(`${problems.length} problem(s) in dist/:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`validated ${count} objects in ${files.length} files under dist/: no problems`);

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../core/kube-object';
import type { RenderedFile } from './render-tree';

/**
 * A published tree read back: every manifest under `dir` (bootstrap/ holds patches for `kubectl patch`, not
 * objects), in path order, and one problem per file that does not parse. What `validate` checks and `verify` applies.
 */
export function readPublishedTree(dir: string): { files: RenderedFile[]; problems: string[] } {
  const problems: string[] = [];
  const files = manifests(dir)
    .map((path) => relative(dir, path).split('\\').join('/'))
    .filter((path) => !path.startsWith('bootstrap/'))
    .sort()
    .flatMap((path): RenderedFile[] => {
      const content = readFileSync(join(dir, path), 'utf8');
      try {
        return [{ path, content, objects: loadAll(content).filter(Boolean) as KubeObject[] }];
      } catch (error) {
        problems.push(`dist/${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
        return [];
      }
    });
  return { files, problems };
}

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? manifests(path) : path.endsWith('.yaml') ? [path] : [];
  });
}

/**
 * The README's library example (examples/library) synthesized as a user runs it: copied into a new folder (its
 * prompt files resolve against the working directory) and run with tsx there, publishing that folder's dist/.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderedFile } from '../../src/synth/render-tree';
import { readPublishedTree } from '../../src/synth/published-tree';
import { REPO_ROOT } from './platform';

export function synthesizeLibraryExample(): RenderedFile[] {
  const dir = mkdtempSync(join(tmpdir(), 'library-example-'));
  try {
    cpSync(join(REPO_ROOT, 'examples', 'library'), dir, { recursive: true, filter: (source) => !/[\\/](dist|node_modules|\.cdk8s-staging)$/.test(source) });
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const run = spawnSync(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['--tsconfig', join(REPO_ROOT, 'tsconfig.json'), 'main.ts'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (run.status !== 0) throw new Error(`examples/library/main.ts failed (${run.status}):\n${run.stderr}${run.stdout}`);
    return readPublishedTree(join(dir, 'dist')).files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

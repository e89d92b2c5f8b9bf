import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths';

const BRIDGE_DIR = join(REPO_ROOT, 'bridge');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'a2a-bridge');

/**
 * The A2A bridge bundled into one CommonJS file (esbuild), for the ConfigMap the bridge Deployment runs.
 * Cached by a hash of the bridge sources and the lockfile, so synth never ships a stale bundle and
 * rebuilds only when the bridge changes.
 */
export function bridgeBundle(): string {
  const key = sourceHash();
  const cached = join(CACHE_DIR, `${key}.cjs`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  // esbuild is a build-time tool: load it only when a bundle must be made.
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [join(BRIDGE_DIR, 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    write: false,
    absWorkingDir: REPO_ROOT,
  });
  const code = result.outputFiles[0].text;
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(cached, code);
  return code;
}

function sourceHash(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(BRIDGE_DIR).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(file).update(readFileSync(join(BRIDGE_DIR, file)));
  }
  hash.update(readFileSync(join(REPO_ROOT, 'package-lock.json')));
  return hash.digest('hex').slice(0, 16);
}

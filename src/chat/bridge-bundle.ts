import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths';
import { bundleCached } from '../util/build-cache.cjs';

const BRIDGE_DIR = join(REPO_ROOT, 'bridge');

/**
 * The A2A bridge bundled into one minified CommonJS file, for the ConfigMap the bridge Deployment runs.
 * Cached by a hash of the bridge sources, so synth never ships a stale bundle and rebuilds only when the
 * bridge changes.
 */
export function bridgeBundle(): string {
  const sources = readdirSync(BRIDGE_DIR).filter((f) => f.endsWith('.ts')).sort().map((f) => join(BRIDGE_DIR, f));
  return readFileSync(bundleCached({ entry: join(BRIDGE_DIR, 'main.ts'), name: 'a2a-bridge', sources, minify: true }), 'utf8');
}

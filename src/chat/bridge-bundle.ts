import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/paths';

/** Where `npm run build` writes the bundle; the published package ships it. */
export const PREBUILT_BRIDGE_BUNDLE = join(PACKAGE_ROOT, 'lib', 'bridge.cjs');

/**
 * The A2A bridge bundled into one minified CommonJS file, for the ConfigMap the bridge Deployment runs.
 * An installed package reads the bundle it ships. In this repository (sources present) it is bundled from
 * `bridge/` and cached by a hash of the sources, so synth never ships a stale bundle.
 */
export function bridgeBundle(): string {
  const bridgeDir = join(PACKAGE_ROOT, 'bridge');
  if (!existsSync(join(bridgeDir, 'main.ts'))) {
    if (!existsSync(PREBUILT_BRIDGE_BUNDLE))
      throw new Error(`agent-platform-cdk8s: the bridge bundle ${PREBUILT_BRIDGE_BUNDLE} is missing; reinstall the package`);
    return readFileSync(PREBUILT_BRIDGE_BUNDLE, 'utf8');
  }
  // A build-time tool: loaded only when bundling from source.
  const { bundleCached, listSources } = require('../core/build-cache.cjs') as typeof import('../core/build-cache.cjs');
  // The bridge may import only src/core (the layer lint enforces it), so these are all of its sources.
  const sources = [
    ...readdirSync(bridgeDir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => join(bridgeDir, f)),
    ...listSources(join(PACKAGE_ROOT, 'src', 'core')),
  ];
  return readFileSync(bundleCached({ entry: join(bridgeDir, 'main.ts'), name: 'a2a-bridge', sources, minify: true }), 'utf8');
}

#!/usr/bin/env node
/*
 * The `app` of cdk8s.yaml. Compiling TypeScript on every synth (ts-node, tsx) costs several times the time
 * it takes to load cdk8s itself, so the app is bundled ahead with esbuild into a cache keyed by a hash of
 * every source it is built from. A changed file means a new key and a rebuild: synth never runs stale code.
 */
'use strict';
const { join } = require('node:path');

const root = join(__dirname, '..');
process.env.AGENT_PLATFORM_ROOT = root;
const { SYNTH_EXTERNALS, bundleCached, listSources, requireWithCodeCache } = require('../src/core/build-cache.cjs');

const bundle = bundleCached({
  entry: join(root, 'app', 'main.ts'),
  name: 'synth',
  external: SYNTH_EXTERNALS,
  sources: [...listSources(join(root, 'src'), join(root, 'app'), join(root, 'imports')), join(root, 'tsconfig.json'), __filename],
});
// With a V8 code cache: compiling the bundle is most of a warm start.
requireWithCodeCache(bundle).main();

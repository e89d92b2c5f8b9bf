#!/usr/bin/env node
/*
 * The `app` of cdk8s.yaml. Compiling TypeScript on every synth (ts-node, tsx) costs several times the time
 * it takes to load cdk8s itself, so the app is bundled ahead with esbuild into a cache keyed by a hash of
 * every source it is built from. A changed file means a new key and a rebuild: synth never runs stale code.
 */
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'synth');
const { requireWithCodeCache } = require('../src/util/cached-require.cjs');

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.name.endsWith('.ts') ? [path] : [];
  });
}

function sourceKey() {
  const hash = createHash('sha256');
  const files = [...listFiles(join(root, 'src')), ...listFiles(join(root, 'imports'))].sort();
  for (const file of [...files, join(root, 'src', 'util', 'cached-require.cjs'), join(root, 'package-lock.json'), __filename]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 20);
}

function bundle(target) {
  const esbuild = require('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  esbuild.buildSync({
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['esbuild'],
    logLevel: 'warning',
  });
  renameSync(partial, target);
}

const target = join(cacheDir, `main-${sourceKey()}.cjs`);
if (!existsSync(target)) bundle(target);
process.env.AGENT_PLATFORM_ROOT = root;
// With a V8 code cache: compiling the bundle is most of a warm start.
requireWithCodeCache(target).main();

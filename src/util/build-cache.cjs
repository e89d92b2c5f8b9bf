'use strict';
/*
 * Content-addressed build artifacts under node_modules/.cache: the synth bundle, the bridge bundle and the
 * precompiled schema validators. Each is keyed by a hash of everything it is built from, so a changed input
 * is a new key and a stale artifact is never used; each is written atomically, so concurrent test workers can
 * build the same one. Plain JavaScript, because scripts/synth.cjs uses it before anything is compiled.
 */
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, relative } = require('node:path');
const { Script } = require('node:vm');

// Bundled into the synth app, this file no longer sits in src/util; the launcher then names the root.
const ROOT = process.env.AGENT_PLATFORM_ROOT ?? join(__dirname, '..', '..');
/**
 * Caches belong to the project being synthesized, never to this package: installed under node_modules it
 * must stay byte-identical. `AGENT_PLATFORM_CACHE` overrides the location.
 */
const CACHE_ROOT = process.env.AGENT_PLATFORM_CACHE ?? cacheRoot(process.cwd());

function cacheRoot(cwd) {
  const modules = join(cwd, 'node_modules');
  return existsSync(modules) ? join(modules, '.cache', 'agent-platform-cdk8s') : join(require('node:os').tmpdir(), 'agent-platform-cdk8s-cache');
}

/** Every source file (TypeScript, and the plain-JavaScript helpers it imports) under `dirs`, sorted. */
function listSources(...dirs) {
  return dirs
    .flatMap((dir) => readdirSync(dir, { recursive: true }).map((entry) => join(dir, String(entry))))
    .filter((file) => /\.(ts|cjs)$/.test(file))
    .sort();
}

/** A short hex key over the files' repository paths and bytes, plus any extra strings. */
function hashFiles(files, ...extra) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('hex').slice(0, 20);
}

/** Writes through a temporary file and a rename, so readers never see half a file. */
function writeFileAtomic(file, data) {
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}

/** The path of cache entry `<cache>/<name>-<key>.cjs`, produced first if it does not exist yet. */
function cachedFile(cache, name, key, produce) {
  const file = join(CACHE_ROOT, cache, `${name}-${key}.cjs`);
  if (!existsSync(file)) writeFileAtomic(file, produce());
  return file;
}

/**
 * Bundles a TypeScript entry into one CommonJS file with esbuild, cached by `sources` (the files the bundle is
 * built from; the lockfile and this module are always added). Returns the bundle's path.
 */
function bundleCached({ entry, name, sources, minify = false }) {
  const key = hashFiles([...sources, join(ROOT, 'package-lock.json'), __filename], entry, String(minify));
  return cachedFile('bundles', name, key, () => {
    // esbuild is a build-time tool: load it only when a bundle must be made.
    const result = require('esbuild').buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['esbuild'],
      minify,
      legalComments: minify ? 'none' : 'inline',
      write: false,
      absWorkingDir: ROOT,
      logLevel: 'warning',
    });
    return result.outputFiles[0].text;
  });
}

/**
 * Requires a generated CommonJS file with a V8 code cache beside it. The cache is written when the process
 * exits, after the module's functions have run, so it holds the lazily compiled code too (a bundle or a set of
 * generated validators spends most of its first run being compiled). V8 rejects a stale or foreign cache, and
 * it is then rewritten.
 */
function requireWithCodeCache(file) {
  const cacheFile = `${file}.v8-cache`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {}, filename: file };
  // Cache files live outside this package (see CACHE_ROOT): their requires (ajv's runtime) resolve from here.
  script.runInThisContext()(module.exports, Module.createRequire(__filename), module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) process.once('exit', () => writeFileAtomic(cacheFile, script.createCachedData()));
  return module.exports;
}

module.exports = { bundleCached, cachedFile, hashFiles, listSources, requireWithCodeCache, writeFileAtomic };

'use strict';
/*
 * Content-addressed build artifacts under node_modules/.cache: the synth bundle, the bridge bundle and the
 * precompiled schema validators. Each is keyed by a hash of everything it is built from, so a changed input
 * is a new key and a stale artifact is never used; each is written atomically, so concurrent test workers can
 * build the same one. Plain JavaScript, because scripts/synth.cjs uses it before anything is compiled.
 */
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join, relative } = require('node:path');
const { Script } = require('node:vm');

/**
 * This package's folder (the repository, or `node_modules/agent-platform-cdk8s`). Bundled into the synth app,
 * this file no longer sits in src/core, so the launcher names the root.
 */
const ROOT = process.env.AGENT_PLATFORM_ROOT ?? findPackageRoot(__dirname);

function findPackageRoot(start) {
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'agent-platform-cdk8s') return dir;
  }
  throw new Error(`agent-platform-cdk8s: cannot find the package folder above ${start}`);
}
/**
 * Resolves the packages generated cache files require (Ajv's runtime) from this package's folder, wherever the
 * cache lives: a file in a cache outside node_modules would otherwise find nothing.
 */
const packageRequire = Module.createRequire(join(ROOT, 'package.json'));
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

/** A short hex key over the files' paths (relative to the package) and bytes, plus any extra strings. */
function hashFiles(files, ...extra) {
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  for (const value of extra) hash.update(value).update('\0');
  return hash.digest('hex').slice(0, 20);
}

const exitTasks = [];

/** Runs `task` when the process exits: one listener for all of them, however many files were loaded. */
function atExit(task) {
  if (exitTasks.length === 0) process.once('exit', () => exitTasks.forEach((t) => t()));
  exitTasks.push(task);
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
  if (!existsSync(file)) {
    writeFileAtomic(file, produce());
    pruneOlderEntries(join(CACHE_ROOT, cache), name);
  }
  return file;
}

/** Entries of one name kept besides the newest: enough for a few branches or kagent versions side by side. */
const KEPT_ENTRIES = 4;

/** Removes all but the newest entries of `name` (and their code caches), so the cache does not grow with every edit. */
function pruneOlderEntries(dir, name) {
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]+\\.cjs$`);
  for (const file of oldestBeyond(dir, KEPT_ENTRIES, (f) => pattern.test(f))) {
    rmSync(join(dir, file), { force: true });
    rmSync(join(dir, `${file}.v8-cache`), { force: true });
  }
}

/** Reads a cache file, if there is one, and marks it as just used, so pruning (by mtime) keeps the files in use. */
function readCacheFile(file) {
  if (!existsSync(file)) return undefined;
  const now = new Date();
  utimesSync(file, now, now);
  return readFileSync(file, 'utf8');
}

/** Keeps the `keep` most recently used files of a cache folder (by mtime) and removes the others. */
function pruneCacheFolder(dir, keep) {
  for (const file of oldestBeyond(dir, keep, () => true)) rmSync(join(dir, file), { force: true });
}

/** The files of `dir` that `select` picks, except the `keep` newest. */
function oldestBeyond(dir, keep, select) {
  return readdirSync(dir)
    .filter(select)
    .map((file) => ({ file, mtime: statSync(join(dir, file), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(keep)
    .map(({ file }) => file);
}

/**
 * Bundles a TypeScript entry into one CommonJS file with esbuild, cached by `sources` (the files the bundle is
 * built from; the lockfile and this module are always added). `external` packages stay in node_modules, loaded
 * only if the code requires them (see SYNTH_EXTERNALS). Returns the bundle's path.
 */
function bundleCached({ entry, name, sources, minify = false, external = [] }) {
  const key = hashFiles([...sources, join(ROOT, 'package-lock.json'), __filename], entry, String(minify), ...external);
  return cachedFile('bundles', name, key, () => {
    // esbuild is a build-time tool: load it only when a bundle must be made.
    const result = require('esbuild').buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['esbuild', ...external],
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
  script.runInThisContext()(module.exports, packageRequire, module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) atExit(() => writeFileAtomic(cacheFile, script.createCachedData()));
  return module.exports;
}

/**
 * Packages a synth requires only to fill the validation caches (the CEL runtime, Ajv's compiler): left out of
 * synth bundles, so a synth whose objects all passed before never compiles their code.
 */
const SYNTH_EXTERNALS = ['ajv', 'ajv/*', '@bufbuild/*'];

module.exports = {
  SYNTH_EXTERNALS,
  CACHE_ROOT,
  PACKAGE_ROOT: ROOT,
  bundleCached,
  cachedFile,
  hashFiles,
  listSources,
  pruneCacheFolder,
  readCacheFile,
  requireWithCodeCache,
  writeFileAtomic,
};

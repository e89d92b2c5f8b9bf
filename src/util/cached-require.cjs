'use strict';
/*
 * Requires a generated CommonJS file with a V8 code cache beside it. The cache is written when the process
 * exits, after the module's functions have run, so it holds the lazily compiled code too (a bundle or a set of
 * generated validators spends most of its first run being compiled). V8 rejects a stale or foreign cache, and
 * it is then rewritten. Plain JavaScript, because scripts/synth.cjs loads the synth bundle with it.
 */
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

function requireWithCodeCache(file) {
  const cacheFile = `${file}.v8-cache`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {}, filename: file };
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    process.once('exit', () => {
      const partial = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, cacheFile);
    });
  }
  return module.exports;
}

module.exports = { requireWithCodeCache };

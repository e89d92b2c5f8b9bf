import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The cache root is read when the module loads: point it at a folder of this test's own.
const cacheRoot = mkdtempSync(join(tmpdir(), 'build-cache-test-'));
let cache: typeof import('../../src/core/build-cache.cjs');
beforeAll(async () => {
  vi.stubEnv('AGENT_PLATFORM_CACHE', cacheRoot);
  vi.resetModules();
  cache = await import('../../src/core/build-cache.cjs');
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(cacheRoot, { recursive: true, force: true });
});

describe('hashFiles', () => {
  const file = join(cacheRoot, 'source.ts');

  it('gives a new key for an edit of the same size and the same mtime', () => {
    writeFileSync(file, 'one\n');
    utimesSync(file, 1_000_000, 1_000_000);
    const before = cache.hashFiles([file]);
    writeFileSync(file, 'two\n');
    utimesSync(file, 1_000_000, 1_000_000);
    expect(cache.hashFiles([file])).not.toBe(before);
  });

  it('gives a new key for another extra string', () => {
    writeFileSync(file, 'one\n');
    expect(cache.hashFiles([file], 'ajv@8.20.0')).not.toBe(cache.hashFiles([file], 'ajv@8.21.0'));
  });
});

describe('cachedFile', () => {
  it('keeps the four newest entries of a name and their code caches', () => {
    for (let key = 0; key < 6; key++) {
      const path = cache.cachedFile('test-entries', 'entry', `a${key}`, () => `module.exports = ${key};\n`);
      writeFileSync(`${path}.v8-cache`, 'cache');
      const at = Date.now() / 1000 - 100 + key;
      utimesSync(path, at, at);
    }
    const left = readdirSync(join(cacheRoot, 'test-entries')).sort();
    // The sixth entry pruned the two oldest when it was produced.
    expect(left.filter((f) => f.endsWith('.cjs'))).toEqual(['entry-a2.cjs', 'entry-a3.cjs', 'entry-a4.cjs', 'entry-a5.cjs']);
    expect(left.filter((f) => f.endsWith('.v8-cache'))).not.toContain('entry-a0.cjs.v8-cache');
  });

  it('does not prune entries of other names', () => {
    cache.cachedFile('test-entries', 'other', 'b0', () => 'module.exports = 0;\n');
    cache.cachedFile('test-entries', 'entry', 'a6', () => 'module.exports = 6;\n');
    expect(readdirSync(join(cacheRoot, 'test-entries'))).toContain('other-b0.cjs');
  });
});

describe('pruneCacheFolder', () => {
  it('keeps the most recently used files: reading one with readCacheFile marks it used', () => {
    const dir = join(cacheRoot, 'records');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(dir, `r${i}.json`), `{"n":${i}}`);
      const at = Date.now() / 1000 - 100 + i;
      utimesSync(join(dir, `r${i}.json`), at, at);
    }
    expect(cache.readCacheFile(join(dir, 'r0.json'))).toBe('{"n":0}');
    expect(cache.readCacheFile(join(dir, 'missing.json'))).toBeUndefined();
    cache.pruneCacheFolder(dir, 2);
    expect(readdirSync(dir).sort()).toEqual(['r0.json', 'r3.json']);
  });
});

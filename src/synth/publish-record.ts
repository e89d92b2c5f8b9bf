import { createHash } from 'node:crypto';
import { statSync, type BigIntStats } from 'node:fs';
import type { FileStamp } from './manifest-workers';
import { dirname, join, resolve } from 'node:path';
import { CACHE_ROOT, pruneCacheFolder, readCacheFile, writeFileAtomic } from '../util/build-cache.cjs';

/** A file as it was published: the digest it was written for, and its stat then. */
type Entry = readonly [digest: string, size: string, mtimeNs: string, ino: string];

/** Bumped when the meaning of a record changes. */
const RECORD_FORMAT = 1;
/**
 * Records kept, the most recently used: one per dist folder published from this project (temporary folders of
 * tests and benches come and go; reading a record marks it used, so the folders in use keep theirs).
 */
const KEPT_RECORDS = 16;
/** Below this, a filesystem's timestamps are too coarse to tell two writes apart (FAT, some network shares). */
const COARSE_MTIME_NS = 2_000_000_000n;

/**
 * What the last synth published into a `dist/` folder: for each file the digest it was written for, with the
 * size, mtime and inode it had then (kept in the project's cache, never in `dist/`). A file whose digest and stat
 * are both unchanged is known to hold the same bytes without rendering or reading them: git's index makes the
 * same bet. Anything else (no record, a file edited, replaced or touched since) falls back to comparing bytes.
 */
export class PublishRecord {
  /** The record of a dist folder (an empty one if it was never published from this project). */
  public static of(distDir: string): PublishRecord {
    const dir = resolve(distDir);
    const file = join(CACHE_ROOT, 'published', `${createHash('sha1').update(dir).digest('hex').slice(0, 20)}-v${RECORD_FORMAT}.json`);
    return new PublishRecord(dir, file);
  }

  private readonly entries: Record<string, Entry>;
  private readonly recordedAt: bigint;

  private constructor(private readonly distDir: string, private readonly file: string) {
    const text = readCacheFile(file);
    const saved = text === undefined ? undefined : (JSON.parse(text) as { at: string; entries: Record<string, Entry> });
    this.entries = saved?.entries ?? {};
    this.recordedAt = BigInt(saved?.at ?? 0);
  }

  /** True if `dist/<path>` is still the file published for `digest`. */
  public holds(path: string, digest: string): boolean {
    const entry = this.entries[path];
    if (!entry || entry[0] !== digest) return false;
    const stat = statIfPresent(join(this.distDir, path));
    if (!stat || `${stat.size}` !== entry[1] || `${stat.mtimeNs}` !== entry[2] || `${stat.ino}` !== entry[3]) return false;
    // A write within the timestamp granularity of the recording could leave the stat unchanged.
    return stat.mtimeNs % 1_000_000_000n !== 0n || this.recordedAt - stat.mtimeNs > COARSE_MTIME_NS;
  }

  /**
   * Records the published tree: `written` files with the stat they were written with, `kept` files (hard-linked,
   * so their stat is the recorded one) with their entries, any other file as it is found.
   */
  public save(files: ReadonlyArray<{ readonly path: string; readonly digest: string }>, kept: ReadonlySet<string>, written: ReadonlyMap<string, FileStamp>): void {
    const entries: Record<string, Entry> = {};
    for (const { path, digest } of files) {
      const previous = this.entries[path];
      if (!written.has(path) && kept.has(path) && previous?.[0] === digest) {
        entries[path] = previous;
        continue;
      }
      const stat = written.get(path) ?? statIfPresent(join(this.distDir, path));
      if (stat) entries[path] = [digest, `${stat.size}`, `${stat.mtimeNs}`, `${stat.ino}`];
    }
    writeFileAtomic(this.file, JSON.stringify({ at: `${BigInt(Date.now()) * 1_000_000n}`, entries }));
    pruneCacheFolder(dirname(this.file), KEPT_RECORDS);
  }

  /** True if saving `files` would write the record as it is. */
  public covers(files: ReadonlyArray<{ readonly path: string; readonly digest: string }>): boolean {
    return files.length === Object.keys(this.entries).length && files.every(({ path, digest }) => this.entries[path]?.[0] === digest);
  }
}

function statIfPresent(file: string): BigIntStats | undefined {
  return statSync(file, { bigint: true, throwIfNoEntry: false });
}

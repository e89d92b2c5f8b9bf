import { dirname, join } from 'node:path';
import { CACHE_ROOT, pruneCacheFolder, readCacheFile, writeFileAtomic } from '../core/build-cache.cjs';
/** Digests kept per key: this tree's and, after them, those of earlier trees (other apps, other branches). */
const MAX_ENTRIES = 200_000;
/** Records kept (one per validation key: a schema, chart or validation code change starts a new one). */
const KEPT_RECORDS = 8;

/**
 * The objects this exact validation already passed: their manifests' digests (of the object's JSON), kept in the project's cache
 * (`node_modules/.cache/agent-platform-cdk8s/validated/`) under the validator's validation key (the schemas, the
 * pinned chart values, the validation code and the lockfile). A re-synth then checks
 * only the objects that changed: schema and CEL checks of unchanged objects were most of a large synth. Only
 * passes are recorded, so a failing object is checked (and reported) every time.
 */
export class ValidatedObjects {
  private static readonly loaded = new Map<string, ValidatedObjects>();

  /** The record for a validator's key; undefined for a validator without one (uncached, or from a caller's schema folder). */
  public static for(validationKey: string | undefined): ValidatedObjects | undefined {
    if (validationKey === undefined) return undefined;
    let record = ValidatedObjects.loaded.get(validationKey);
    if (!record) {
      record = new ValidatedObjects(join(CACHE_ROOT, 'validated', `${validationKey}.txt`));
      ValidatedObjects.loaded.set(validationKey, record);
    }
    return record;
  }

  private readonly known: Set<string>;
  private readonly added = new Set<string>();

  private constructor(private readonly file: string) {
    this.known = new Set((readCacheFile(file) ?? '').split('\n').filter(Boolean));
  }

  /** True if the object of the manifest with this digest (see RenderedFile.digest) passed before. */
  public passed(digest: string): boolean {
    return this.known.has(digest);
  }

  /** Records that a manifest passed. */
  public recordPass(digest: string): void {
    if (!this.known.has(digest)) this.added.add(digest);
  }

  /** Writes the record if this run added to it: the new passes first, then the older ones up to the limit. */
  public save(): void {
    if (this.added.size === 0) return;
    const entries = [...this.added, ...this.known].slice(0, MAX_ENTRIES);
    writeFileAtomic(this.file, `${entries.join('\n')}\n`);
    pruneCacheFolder(dirname(this.file), KEPT_RECORDS);
    for (const digest of this.added) this.known.add(digest);
    this.added.clear();
  }
}

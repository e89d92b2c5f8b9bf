import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../paths';
import { CACHE_ROOT, hashFiles, pruneCacheFolder, readCacheFile, writeFileAtomic } from '../util/build-cache.cjs';
import { CHART_VALUES_DIR } from './chart-values';

/** Bump when what a passing check means changes in a way the digests of the validation code do not show. */
export const VALIDATED_FORMAT = 1;
/** Digests kept per key: this tree's and, after them, those of earlier trees (other apps, other branches). */
const MAX_ENTRIES = 200_000;
/** Records kept (one per validation key: a schema, chart or validation code change starts a new one). */
const KEPT_RECORDS = 8;

/**
 * The objects this exact validation already passed: their manifests' digests (of the object's JSON), kept in the project's cache
 * (`node_modules/.cache/agent-platform-cdk8s/validated/`) under a key of everything a result depends on — the
 * schemas (the validator's key), the pinned chart values, and the validation code itself. A re-synth then checks
 * only the objects that changed: schema and CEL checks of unchanged objects were most of a large synth. Only
 * passes are recorded, so a failing object is checked (and reported) every time.
 */
export class ValidatedObjects {
  private static readonly loaded = new Map<string, ValidatedObjects>();

  /** The record for a validator's schema key; undefined for a validator without one (built from a caller's schema folder). */
  public static for(schemaKey: string | undefined): ValidatedObjects | undefined {
    if (schemaKey === undefined || process.env.AGENT_PLATFORM_VALIDATION_CACHE === 'off') return undefined;
    let record = ValidatedObjects.loaded.get(schemaKey);
    if (!record) {
      record = new ValidatedObjects(join(CACHE_ROOT, 'validated', `${resultKey(schemaKey)}.txt`));
      ValidatedObjects.loaded.set(schemaKey, record);
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

/** A key over the schema key, the validation code and the chart values: a change to any is a fresh record. */
function resultKey(schemaKey: string): string {
  return hashFiles([...validationCode(PACKAGE_ROOT), ...filesUnder(CHART_VALUES_DIR)], schemaKey, `validated-${VALIDATED_FORMAT}`);
}

/**
 * The validation modules the package in `root` runs: its sources in the repository, the compiled
 * `lib/src/validation/` of an installed package (which ships no `src/validation/`).
 */
export function validationCode(root: string): string[] {
  const sources = join(root, 'src', 'validation');
  return filesUnder(existsSync(sources) ? sources : join(root, 'lib', 'src', 'validation')).filter((f) => /\.(ts|js|cjs)$/.test(f));
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

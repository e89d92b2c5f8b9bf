import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHART_VALUES_DIR, PACKAGE_ROOT } from '../core/paths';
import { hashFiles } from '../core/build-cache.cjs';

/** The packages validation runs (their versions stand for the lockfile where the package has none). */
const RUNTIME_PACKAGES = ['ajv', '@bufbuild/cel', 'js-yaml'];

/**
 * The one key of everything validation produces (precompiled validators, rule trees, the record of passed
 * objects): the validation code, the schemas it checks against, the pinned chart values, the lockfile and the
 * versions of the packages it runs. No hand-bumped constant: any edit to any of them is a new key.
 *
 * The validation code is `src/validation/` and `src/core/` (`lib/src/…` in an installed package): the layer
 * lint allows validation to import nothing else of this package, so that is all the code a result depends on.
 */
export function validationKey(schemaFiles: readonly string[]): string {
  const lockfile = join(PACKAGE_ROOT, 'package-lock.json');
  const files = [...validationCode(PACKAGE_ROOT), ...schemaFiles, ...filesUnder(CHART_VALUES_DIR), ...(existsSync(lockfile) ? [lockfile] : [])];
  const versions = RUNTIME_PACKAGES.map((name) => `${name}@${installedVersion(name)}`);
  return hashFiles(files, ...versions);
}

/** The validation code of the package in `packageRoot`: its sources, or the compiled `lib/src/` of an installed package. */
export function validationCode(packageRoot: string): string[] {
  const sources = join(packageRoot, 'src');
  const root = existsSync(join(sources, 'validation')) ? sources : join(packageRoot, 'lib', 'src');
  return [join(root, 'validation'), join(root, 'core')].flatMap(filesUnder).filter((f) => /\.(ts|js|cjs)$/.test(f) && !f.endsWith('.d.ts'));
}

/** The version of an installed package, from the package.json above its entry (some packages do not export it). */
function installedVersion(name: string): string {
  for (let dir = dirname(require.resolve(name)); dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const { name: found, version } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
    if (found === name) return version;
  }
  throw new Error(`agent-platform-cdk8s: cannot find the version of ${name}`);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

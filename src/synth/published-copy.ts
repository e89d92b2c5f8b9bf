import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CACHE_ROOT } from '../core/build-cache.cjs';

/**
 * The last tree published into a folder, kept as hard links in the project's cache (outside `dist/`).
 *
 * Why: `cdk8s synth` deletes its `output` folder before it runs the app. A `cdk8s.yaml` as `cdk8s init` writes
 * it (no `output`, so `dist`), or with `output: dist`, therefore deletes the published tree before our code can
 * say a word; if the synth then fails, the committed manifests are gone and Argo CD's prune would follow. With
 * this copy the app puts the tree back first, so a failed synth leaves `dist/` exactly as it was.
 */
export class PublishedCopy {
  public static of(distDir: string): PublishedCopy {
    const dir = resolve(distDir);
    return new PublishedCopy(dir, join(CACHE_ROOT, 'published-trees', createHash('sha1').update(dir).digest('hex').slice(0, 20)));
  }

  private constructor(
    private readonly distDir: string,
    private readonly copyDir: string,
  ) {}

  /** Whether a copy exists to restore from. */
  public get exists(): boolean {
    return existsSync(this.copyDir);
  }

  /** Replaces the copy with the tree now in `distDir` (links, so it costs no file contents). */
  public refresh(): void {
    const next = `${this.copyDir}.next-${process.pid}`;
    mirror(this.distDir, next);
    rmSync(this.copyDir, { recursive: true, force: true });
    renameSync(next, this.copyDir);
  }

  /** Puts the copy back where the tree was published; false if there is none. */
  public restore(): boolean {
    if (!this.exists) return false;
    const next = `${this.distDir}.next-${process.pid}`;
    mirror(this.copyDir, next);
    renameSync(next, this.distDir);
    return true;
  }
}

/** Recreates `from`'s files under `to` as hard links (copies where the filesystem cannot link). */
function mirror(from: string, to: string): void {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = join(entry.parentPath, entry.name);
    const target = join(to, relative(from, source));
    mkdirSync(dirname(target), { recursive: true });
    try {
      linkSync(source, target);
    } catch {
      copyFileSync(source, target);
    }
  }
}

/** Whether the two folders are one, or one holds the other: publishing into either replaces the other. */
export function overlaps(a: string, b: string): boolean {
  const [x, y] = [resolve(a), resolve(b)];
  return x === y || x.startsWith(y + sep) || y.startsWith(x + sep);
}

/** What the CLI's deletion did to the tree, for the caller to report. */
export type CliOutputGuard = 'none' | 'restored' | 'lost';

/**
 * Called before the app is built: when the cdk8s CLI's output folder (`CDK8S_OUTDIR`) is the published tree,
 * the CLI has just deleted it; the last published copy is put back. `lost` when there was none to restore.
 */
export function guardAgainstCliOutput(distDir: string, stagingDir: string | undefined): CliOutputGuard {
  if (!stagingDir || !overlaps(stagingDir, distDir) || existsSync(distDir)) return 'none';
  return PublishedCopy.of(distDir).restore() ? 'restored' : 'lost';
}

/** The one-line fix, shown whenever `cdk8s.yaml`'s output is the published tree. */
export function cliOutputAdvice(distDir: string, stagingDir: string): string {
  const shown = relative(process.cwd(), resolve(distDir)) || '.';
  const staging = relative(process.cwd(), resolve(stagingDir)) || '.';
  return (
    `cdk8s.yaml's output (${staging}) is the published tree ${shown}/, and \`cdk8s synth\` deletes its output before every run. ` +
    `Fix: add the line "output: .cdk8s-staging" to cdk8s.yaml (and ".cdk8s-staging" to .gitignore), or run \`npx agent-platform-cdk8s synth\`.`
  );
}

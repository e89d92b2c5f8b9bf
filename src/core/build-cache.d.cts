/** Every source file (TypeScript and plain-JavaScript helpers) under `dirs`, sorted. */
export declare function listSources(...dirs: string[]): string[];
/** A short hex key over the files' paths (relative to the package) and bytes, plus any extra strings. */
export declare function hashFiles(files: readonly string[], ...extra: string[]): string;
/** Writes through a temporary file and a rename, so readers never see half a file. */
export declare function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void;
/** The path of cache entry `<cache>/<name>-<key>.cjs`, produced first if it does not exist yet. */
export declare function cachedFile(cache: string, name: string, key: string, produce: () => string): string;
/** Bundles a TypeScript entry into one CommonJS file (esbuild), cached by its sources; returns the path. */
export declare function bundleCached(options: {
  entry: string;
  name: string;
  sources: readonly string[];
  minify?: boolean;
  external?: readonly string[];
}): string;
/** Packages a synth loads only to fill its validation caches; kept out of synth bundles. */
export declare const SYNTH_EXTERNALS: readonly string[];
/** Requires a generated CommonJS file, using and refreshing a V8 code cache beside it. */
export declare function requireWithCodeCache<T>(file: string): T;
/** Where the caches live: the project's `node_modules/.cache/agent-platform-cdk8s` (or `AGENT_PLATFORM_CACHE`). */
export declare const CACHE_ROOT: string;
/** This package's folder: the repository, or `node_modules/agent-platform-cdk8s`. */
export declare const PACKAGE_ROOT: string;
/** Reads a cache file, if there is one, and marks it as just used, so pruning keeps it. */
export declare function readCacheFile(file: string): string | undefined;
/** Keeps the `keep` most recently used files of a cache folder (by mtime) and removes the others. */
export declare function pruneCacheFolder(dir: string, keep: number): void;

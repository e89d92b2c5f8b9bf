/** Every source file (TypeScript and plain-JavaScript helpers) under `dirs`, sorted. */
export declare function listSources(...dirs: string[]): string[];
/** A short hex key over the files' repository paths and bytes, plus any extra strings. */
export declare function hashFiles(files: readonly string[], ...extra: string[]): string;
/** Writes through a temporary file and a rename, so readers never see half a file. */
export declare function writeFileAtomic(file: string, data: string | NodeJS.ArrayBufferView): void;
/** The path of cache entry `<cache>/<name>-<key>.cjs`, produced first if it does not exist yet. */
export declare function cachedFile(cache: string, name: string, key: string, produce: () => string): string;
/** Bundles a TypeScript entry into one CommonJS file (esbuild), cached by its sources; returns the path. */
export declare function bundleCached(options: { entry: string; name: string; sources: readonly string[]; minify?: boolean }): string;
/** Requires a generated CommonJS file, using and refreshing a V8 code cache beside it. */
export declare function requireWithCodeCache<T>(file: string): T;

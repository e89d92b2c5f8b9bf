/** Requires a generated CommonJS file, using and refreshing a V8 code cache beside it. */
export declare function requireWithCodeCache<T>(file: string): T;

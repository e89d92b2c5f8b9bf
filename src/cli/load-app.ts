import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

/**
 * Runs the app's file in this process, TypeScript through tsx (a dependency of this package, so the app
 * needs nothing else): the app and this CLI then share one `agent-platform-cdk8s`, and the CLI hears what it
 * published. CommonJS is required (tsx's require hook costs ~30 ms); ESM is imported, which needs tsx's
 * loader thread (~250 ms), so only ESM pays for it.
 */
export async function loadApp(file: string): Promise<void> {
  const esm = isEsm(file);
  if (TYPESCRIPT.has(extname(file))) {
    (require('tsx/cjs/api') as typeof import('tsx/cjs/api')).register();
    if (esm) (await import('tsx/esm/api')).register();
  }
  if (esm) await import(pathToFileURL(file).href);
  else require(file);
}

/** Whether Node treats the file as an ES module: by its extension, else by the nearest package.json's `type`. */
function isEsm(file: string): boolean {
  const extension = extname(file);
  if (extension === '.mts' || extension === '.mjs') return true;
  if (extension === '.cts' || extension === '.cjs') return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
    if (dirname(dir) === dir) return false;
  }
}

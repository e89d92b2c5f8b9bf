/**
 * `npm run build`: the library as JavaScript and `.d.ts` in lib/ (tsc), the plain-JavaScript build cache it
 * imports, and the bundled bridge (lib/bridge.cjs) the A2aBridge construct ships in its ConfigMap.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const lib = join(root, 'lib');
rmSync(lib, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
for (const file of ['build-cache.cjs', 'build-cache.d.cts']) copyFileSync(join(root, 'src', 'core', file), join(lib, 'src', 'core', file));
execFileSync(process.execPath, [require.resolve('tsx/cli'), join(root, 'scripts', 'build-bridge.ts')], { stdio: 'inherit' });

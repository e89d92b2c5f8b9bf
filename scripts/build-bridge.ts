/** `npm run build:bridge`: writes the bundled bridge to build/bridge.cjs (for bridge/Dockerfile). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeBundle } from '../src/chat/bridge-bundle';
import { REPO_ROOT } from '../src/paths';

const out = join(REPO_ROOT, 'build', 'bridge.cjs');
mkdirSync(join(REPO_ROOT, 'build'), { recursive: true });
writeFileSync(out, bridgeBundle());
console.log(`wrote ${out}`);

/** Writes the bundled bridge to lib/bridge.cjs: shipped in the package, and the input of bridge/Dockerfile. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PREBUILT_BRIDGE_BUNDLE, bridgeBundle } from '../src/chat/bridge-bundle';

mkdirSync(dirname(PREBUILT_BRIDGE_BUNDLE), { recursive: true });
writeFileSync(PREBUILT_BRIDGE_BUNDLE, bridgeBundle());
console.log(`wrote ${PREBUILT_BRIDGE_BUNDLE}`);

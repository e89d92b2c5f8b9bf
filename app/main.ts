/**
 * The reference homelab platform: the first consumer of the library, built only from its public API.
 * `npx cdk8s synth` runs this file (through scripts/synth.cjs) and publishes `dist/`.
 */
import { App } from 'cdk8s';
import { AgentPlatform, runSynth, type AgentPlatformOptions, type PlatformConfigInput } from 'agent-platform-cdk8s';
import { HOMELAB_CONFIG } from './homelab-config';

/** The homelab as an App; tests build it with other configs. */
export function buildHomelab(config: PlatformConfigInput = HOMELAB_CONFIG, options: AgentPlatformOptions = {}): App {
  const app = new App();
  new AgentPlatform(app, 'homelab', config, options);
  return app;
}

/** `cdk8s synth` entry: build the homelab and publish it to `dist/` (or `HOMELAB_DIST`, for tests and the bench). */
export function main(): void {
  runSynth(() => buildHomelab(), { distDir: process.env.HOMELAB_DIST });
}

if (require.main === module) main();

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `npm run e2e`: the tier that runs the real components (kube-apiserver, etcd, kube-controller-manager, Helm),
 * built from the Go module proxy into a cache outside the clone by the global setup. One file at a time: each
 * starts its own control plane, and the machines have two cores.
 */
export default defineConfig({
  resolve: { alias: { 'agent-platform-cdk8s': fileURLToPath(new URL('../src/index.ts', import.meta.url)) } },
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 900_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});

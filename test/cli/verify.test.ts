/** `verify` where Go is missing: the toolchain's message and exit 2, so a CI can tell "cannot run" from "rejected". */
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, expectNoStackTrace, runCli } from './run-cli';

describe('agent-platform-cdk8s verify', () => {
  it('without Go on PATH: exit 2, what it needs and the offline alternative', () => {
    const run = runCli(['verify', 'dist'], REPO_ROOT, { PATH: dirname(process.execPath) });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^verify builds the real kube-apiserver, kube-controller-manager, etcd and Helm .* needs Go ≥ 1\.26 on PATH/);
    expect(run.stderr).toContain('`agent-platform-cdk8s validate`');
    expectNoStackTrace(run);
  });

  it('a folder that is not there: exit 2', () => {
    const run = runCli(['verify', 'no-such-tree'], REPO_ROOT);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('verify: no-such-tree is not a folder\n');
  });
});

/**
 * A real control plane per test file, stopped at the end pass or fail. A failed file keeps every component's log
 * under E2E_OUT/<name>/logs and says where; a passing one removes its work folder.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { helmRenderer, sharedDir } from '../../src/verify/argo-helm';
import { ControlPlane } from '../../src/verify/control-plane';
import type { KubeObject } from '../../src/verify/kube-client';
import { ensureToolchain } from '../../src/verify/toolchain';
import { E2E_OUT, step, stepLine } from './steps';

/** ../shared beside the clone: the pinned CRDs and the renderable charts. */
export const SHARED = sharedDir();

/** Real Helm, rendering as Argo CD does, shared by the files of a run (identical renders run once). */
export const helm = helmRenderer({ helm: ensureToolchain().helm, kubeVersion: ensureToolchain().kubernetesVersion });

export interface ClusterHandle {
  readonly plane: ControlPlane;
}

/** Starts a control plane before the file's tests and stops it after them. */
export function useControlPlane(name: string): ClusterHandle {
  const workDir = join(E2E_OUT, name);
  const handle = {} as { plane: ControlPlane };
  let failed = false;
  beforeAll(async () => {
    rmSync(workDir, { recursive: true, force: true });
    mkdirSync(workDir, { recursive: true });
    handle.plane = await step(`${name}: start etcd, kube-apiserver, kube-controller-manager`, () =>
      ControlPlane.start({ toolchain: ensureToolchain(), workDir }),
    );
  });
  afterEach(({ task }) => {
    if (task.result?.state === 'fail') failed = true;
  });
  afterAll(async () => {
    await handle.plane?.stop();
    if (failed) stepLine(`${name}: logs kept in ${join(workDir, 'logs')}`);
    else rmSync(workDir, { recursive: true, force: true });
  });
  return handle;
}

/** The cluster as Argo CD and the CNI leave it before the root Application: the argocd namespace, Argo CD's and Cilium's CRDs. */
export function clusterPrerequisites(): KubeObject[] {
  return [load('{apiVersion: v1, kind: Namespace, metadata: {name: argocd}}') as KubeObject, ...pinnedCrds('cilium'), ...pinnedCrds('argocd')].filter(Boolean);
}

/** The pinned CRDs of one `../shared/crds/<set>/` folder, in file order. */
export function pinnedCrds(set: string): KubeObject[] {
  const dir = join(SHARED, 'crds', set);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadAll(readFileSync(join(dir, f), 'utf8')) as KubeObject[]);
}

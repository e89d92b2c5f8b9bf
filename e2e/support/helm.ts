import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import type { KubeObject } from '../../src/verify/kube-client';
import { ensureToolchain } from '../../src/verify/toolchain';
import { chartName } from '../../src/verify/tree-applications';
import { SHARED } from './cluster';

export async function renderForArgo(application: KubeObject, source: Record<string, any>): Promise<KubeObject[]> {
  const toolchain = ensureToolchain();
  const app = application as any;
  const dir = mkdtempSync(join(tmpdir(), 'helm-values-'));
  try {
    const values = join(dir, 'values.yaml');
    writeFileSync(values, dump(source.helm?.valuesObject ?? {}));
    const out = execFileSync(toolchain.helm, ['template', join(SHARED, 'helm-charts', `${chartName(source)}-${source.targetRevision}`), '--name-template', source.helm?.releaseName ?? app.metadata.name,
      '--namespace', app.spec.destination.namespace, '--kube-version', toolchain.kubernetesVersion, '--values', values, '--include-crds'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return (loadAll(out) as KubeObject[]).filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, Testing } from 'cdk8s';
import { buildHomelab } from '../../app/main';
import { HOMELAB_CONFIG } from '../../app/homelab-config';
import type { PlatformConfigInput } from '../../src/platform/config/platform-config';
import { renderTree, type RenderedFile } from '../../src/synth/render-tree';
import { PlatformChart } from '../../src/core/platform-chart';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import type { KubeObject } from '../../src/core/kube-object';

export const REPO_ROOT = join(__dirname, '..', '..');
export const DIST = join(REPO_ROOT, 'dist');

/** The reference homelab config. */
export const REFERENCE_CONFIG: PlatformConfigInput = HOMELAB_CONFIG;

/** The reference platform rendered in memory, as synth would write it. */
export function renderReference(config: PlatformConfigInput = REFERENCE_CONFIG): RenderedFile[] {
  return renderTree(buildHomelab(config));
}

/** Every object of a rendered tree. */
export function objectsOf(files: readonly RenderedFile[]): KubeObject[] {
  return files.flatMap((f) => f.objects);
}

/** Finds one object by kind and name (and namespace). */
export function find(files: readonly RenderedFile[], kind: string, name: string, namespace?: string): any {
  const found = objectsOf(files).filter((o) => o.kind === kind && o.metadata?.name === name && (!namespace || o.metadata?.namespace === namespace));
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

/** All files under a folder, relative path → content. */
export function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return out;
}

/** A test app with a chart and a namespace, for composing constructs in a few lines. */
export function testScope(namespace = 'kagent'): { app: App; chart: PlatformChart; ns: TalosNamespace } {
  const app = Testing.app();
  const chart = new PlatformChart(app, 'test', { folder: 'test', namespace });
  const ns = new TalosNamespace(chart, 'ns', { name: namespace });
  return { app, chart, ns };
}

/** The objects a chart synthesizes (runs validations). */
export function synthChart(chart: PlatformChart): any[] {
  return Testing.synth(chart);
}

import type { App } from 'cdk8s';
import * as yaml from 'js-yaml';
import { ExtraFile } from './extra-file';
import { PlatformChart } from './platform-chart';
import type { KubeObject } from '../validation/manifest-validator';

/** One file of the synthesized tree, path relative to `dist/`. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
  /** The objects in a manifest file (empty for extra files). */
  readonly objects: readonly KubeObject[];
}

/**
 * Renders every PlatformChart of the app into files: `<folder>/<kind>-<name>.yaml`, one object per file
 * (the namespace is added to the name only where two objects would collide). Runs all construct validations
 * first. The result is sorted by path, so the same source always gives the same bytes.
 */
export function renderTree(app: App): RenderedFile[] {
  const files: RenderedFile[] = [];
  const charts = app.charts.filter(PlatformChart.isPlatformChart);
  const folders = new Map<string, string>();
  for (const chart of charts) {
    const owner = folders.get(chart.folder);
    if (owner) throw new Error(`${chart.node.path}: folder "${chart.folder}" is already used by ${owner}; give each chart its own folder`);
    folders.set(chart.folder, chart.node.path);
    const objects = chart.toJson() as KubeObject[];
    files.push(...manifestFiles(chart.folder, objects));
  }
  for (const extra of app.node.findAll().filter(ExtraFile.isExtraFile)) {
    files.push({ path: extra.path, content: extra.render(), objects: [] });
  }
  return orderedTree(files);
}

/**
 * The files sorted by path (the same source always gives the same bytes), after checking that no two would be
 * written to one path. `where` prefixes the error (e.g. the fleet's construct path).
 */
export function orderedTree(files: RenderedFile[], where?: string): RenderedFile[] {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new Error(`${where ? `${where}: ` : ''}two outputs would be written to dist/${file.path}; rename one of them`);
    seen.add(file.path);
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function manifestFiles(folder: string, objects: KubeObject[]): RenderedFile[] {
  const baseName = (o: KubeObject) => `${String(o.kind).toLowerCase()}-${o.metadata?.name}`;
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(baseName(o), (counts.get(baseName(o)) ?? 0) + 1);
  return objects.map((o) => {
    const base = baseName(o);
    const name = (counts.get(base) ?? 0) > 1 ? `${String(o.kind).toLowerCase()}-${o.metadata?.namespace}-${o.metadata?.name}` : base;
    return { path: `${folder}/${name}.yaml`, content: toYaml(o), objects: [o] };
  });
}

/** Serializes one object the way every file in `dist/` is written. */
export function toYaml(object: unknown): string {
  return yaml.dump(object, { noRefs: true, lineWidth: -1, quotingType: '"' });
}

import { ApiObject, Chart, type App } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { ExtraFile } from '../core/extra-file';
import type { KubeObject } from '../core/kube-object';
import { PlatformChart } from '../core/platform-chart';
import { manifestFile, type RenderedFile } from './manifest-file';

export { toYaml, type RenderedFile } from './manifest-file';

/**
 * Renders every PlatformChart of the app into files: `<folder>/<kind>-<name>.yaml`, one object per file
 * (the namespace is added to the name only where two objects would collide). Runs all construct validations
 * first. The result is sorted by path, so the same source always gives the same bytes.
 */
export function renderTree(app: App): RenderedFile[] {
  const constructs = app.node.findAll();
  validateConstructs(constructs);
  const files: RenderedFile[] = [];
  const folders = new Map<string, string>();
  for (const [chart, objects] of apiObjectsByChart(constructs)) {
    const owner = folders.get(chart.folder);
    if (owner) throw new Error(`${chart.node.path}: folder "${chart.folder}" is already used by ${owner}; give each chart its own folder`);
    folders.set(chart.folder, chart.node.path);
    files.push(
      ...manifestFiles(
        chart.folder,
        objects.map((o) => o.toJson() as KubeObject),
      ),
    );
  }
  for (const extra of constructs.filter(ExtraFile.isExtraFile)) {
    files.push({ path: extra.path, content: extra.render(), objects: [] });
  }
  return orderedTree(files);
}

/**
 * Runs every construct's validations once, failing with all messages and their construct paths. (cdk8s's
 * `Chart.toJson()` validates the whole app again for every chart, which made synthesis charts × constructs.)
 */
function validateConstructs(constructs: readonly IConstruct[]): void {
  const errors = constructs.flatMap((c) => c.node.validate().map((message) => `[${c.node.path}] ${message}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
}

/**
 * The API objects of every PlatformChart, each in its closest chart, in construct order. Order inside a chart
 * does not matter here (one file per object, sorted by path), so cdk8s's dependency sort is not needed: the
 * platform orders its deployment with Argo CD sync waves instead.
 */
function apiObjectsByChart(constructs: readonly IConstruct[]): Map<PlatformChart, ApiObject[]> {
  const byChart = new Map<PlatformChart, ApiObject[]>();
  for (const c of constructs) if (PlatformChart.isPlatformChart(c)) byChart.set(c, []);
  for (const c of constructs) {
    if (!ApiObject.isApiObject(c)) continue;
    const chart = Chart.of(c);
    if (PlatformChart.isPlatformChart(chart)) byChart.get(chart)!.push(c);
  }
  return byChart;
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
    return manifestFile(`${folder}/${name}.yaml`, o);
  });
}

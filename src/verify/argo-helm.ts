/**
 * Renders the Helm sources of a tree's Argo CD Applications with real Helm, the way Argo CD's repo server does
 * (util/helm/cmd.go), and finds the values a chart never reads: Helm silently ignores a key its templates do
 * not use, so a misspelt or moved key deploys the chart's default instead. A value is ignored when neither
 * removing it nor changing it changes Helm's output (removal alone would also flag a value equal to what the
 * chart computes without it, such as an image tag equal to the chart version).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { SYNC_WAVE_ANNOTATION } from '../core/sync-wave';
import { PACKAGE_ROOT } from '../core/paths';
import type { RenderedFile } from '../synth/render-tree';
import { ociHelmSources, type HelmChartSource } from '../validation/chart-values';
import type { KubeObject } from '../core/kube-object';

type Values = Record<string, unknown>;

/** One Helm source of one Argo CD Application, with what Argo CD passes to `helm template`. */
export interface ArgoHelmSource {
  /** The Application's name. */
  readonly application: string;
  /** Its `argocd.argoproj.io/sync-wave` (0 when unset). */
  readonly wave: number;
  /** The file holding the Application, relative to `dist/`. */
  readonly file: string;
  /** JSON pointer of the source in the Application (`/spec/source` or `/spec/sources/<i>`). */
  readonly pointer: string;
  readonly chart: string;
  readonly version: string;
  /** `helm.releaseName`, else the Application's name (as Argo CD does). */
  readonly releaseName: string;
  /** `helm.namespace`, else `spec.destination.namespace` (empty: Helm's default). */
  readonly namespace: string;
  /** `helm.valuesObject`, else `helm.values` parsed (Argo CD uses the object when both are set), else `{}`. */
  readonly values: Values;
  /** `helm.skipCrds`: without it Argo CD passes `--include-crds`. */
  readonly skipCrds: boolean;
  readonly skipTests: boolean;
  readonly skipSchemaValidation: boolean;
  /** `helm.kubeVersion`, which overrides the cluster's version. */
  readonly kubeVersion?: string;
  /** `helm.apiVersions`, which override the cluster's API versions. */
  readonly apiVersions?: readonly string[];
  /** Helm settings this check does not reproduce (`helm.parameters`, …); rendering refuses such a source. */
  readonly unsupported: readonly string[];
}

/** Every Helm source of every Argo CD Application in a tree, in file order. */
export function helmSourcesOf(files: readonly RenderedFile[]): ArgoHelmSource[] {
  // The library only emits OCI Helm sources (see ArgoApplication), which ociHelmSources already finds.
  return files.flatMap((file) => file.objects.flatMap((object) => ociHelmSources(object).map((found) => toArgoHelmSource(file.path, object, found))));
}

const UNSUPPORTED_HELM_FIELDS = ['parameters', 'fileParameters', 'valueFiles'] as const;

function toArgoHelmSource(file: string, application: KubeObject, found: HelmChartSource): ArgoHelmSource {
  const metadata = (application.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
  const spec = (application.spec ?? {}) as { destination?: { namespace?: string } };
  const helm = (sourceAt(application, found.pointer).helm ?? {}) as Record<string, any>;
  const name = String(metadata.name ?? '');
  return {
    application: name,
    wave: syncWave(metadata.annotations?.[SYNC_WAVE_ANNOTATION]),
    file,
    pointer: found.pointer,
    chart: found.chart,
    version: found.version,
    releaseName: helm.releaseName || name,
    namespace: helm.namespace || spec.destination?.namespace || '',
    values: effectiveValues(found),
    skipCrds: helm.skipCrds === true,
    skipTests: helm.skipTests === true,
    skipSchemaValidation: helm.skipSchemaValidation === true,
    ...(helm.kubeVersion ? { kubeVersion: String(helm.kubeVersion) } : {}),
    ...(Array.isArray(helm.apiVersions) && helm.apiVersions.length > 0 ? { apiVersions: helm.apiVersions.map(String) } : {}),
    unsupported: UNSUPPORTED_HELM_FIELDS.filter((field) => helm[field] !== undefined && !isEmpty(helm[field])).map((field) => `helm.${field}`),
  };
}

function sourceAt(application: KubeObject, pointer: string): Record<string, unknown> {
  const found = pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], application);
  return isMap(found) ? found : {};
}

function syncWave(annotation: string | undefined): number {
  const wave = Number.parseInt(annotation ?? '', 10);
  return Number.isNaN(wave) ? 0 : wave;
}

function effectiveValues(found: HelmChartSource): Values {
  const byObject = found.valueSets.find((set) => set.pointer.endsWith('/helm/valuesObject'));
  const values = (byObject ?? found.valueSets[0])?.values;
  return isMap(values) ? values : {};
}

/** The shared data folder beside the repository (`AGENT_PLATFORM_SHARED`): pinned CRDs and renderable charts. */
export function sharedDir(): string {
  return process.env.AGENT_PLATFORM_SHARED ?? join(PACKAGE_ROOT, '..', 'shared');
}

/** The vendored chart trees (`<chart>-<version>/`): `AGENT_PLATFORM_HELM_CHARTS`, else `helm-charts/` of the shared folder. */
export function helmChartsDir(): string {
  return process.env.AGENT_PLATFORM_HELM_CHARTS ?? join(sharedDir(), 'helm-charts');
}

export interface HelmRenderOptions {
  /** The helm binary (Argo CD 3.5.1 embeds Helm 4.2.1). */
  readonly helm: string;
  /** The cluster's version, e.g. `v1.36.3` (`--kube-version`). */
  readonly kubeVersion: string;
  /** @default helmChartsDir() */
  readonly chartsDir?: string;
  /** The cluster's API versions (`--api-versions`). @default - none: Helm's built-in set */
  readonly apiVersions?: readonly string[];
  /** @default 60000 */
  readonly timeoutMs?: number;
}

/** `helm template` failed for a source: names the Application and carries Helm's stderr. */
export class HelmRenderError extends Error {
  constructor(
    message: string,
    /** Helm's own stderr (empty when Helm did not run). */
    public readonly stderr: string,
    /** Helm was stopped at the timeout rather than failing by itself. */
    public readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'HelmRenderError';
  }
}

/**
 * The objects Argo CD would get from this source: runs `helm template <chartDir> --name-template <release>
 * --namespace <ns> --kube-version <v> --values <valuesObject as YAML> [--api-versions …] --include-crds`
 * on the vendored `<chart>-<version>/` folder, and parses its output (empty documents skipped).
 */
export async function renderHelmSource(source: ArgoHelmSource, options: HelmRenderOptions): Promise<KubeObject[]> {
  const where = describeSource(source);
  if (source.unsupported.length > 0) throw new HelmRenderError(`${where}: ${source.unsupported.join(', ')} cannot be rendered by this check`, '', false);
  const chartDir = chartDirOf(source, options.chartsDir ?? helmChartsDir());
  const work = await mkdtemp(join(tmpdir(), 'argo-helm-'));
  try {
    const valuesFile = join(work, 'values.yaml');
    await writeFile(valuesFile, yaml.dump(source.values, { noRefs: true, lineWidth: -1 }));
    const args = helmTemplateArgs(source, chartDir, valuesFile, options);
    const { stdout } = await runHelm(options.helm, args, work, options.timeoutMs ?? 60_000, where);
    return parseManifests(stdout);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The arguments Argo CD's repo server passes, in its order. */
export function helmTemplateArgs(
  source: ArgoHelmSource,
  chartDir: string,
  valuesFile: string,
  options: Pick<HelmRenderOptions, 'kubeVersion' | 'apiVersions'>,
): string[] {
  const apiVersions = source.apiVersions ?? options.apiVersions ?? [];
  return [
    'template',
    chartDir,
    '--name-template',
    source.releaseName,
    ...(source.namespace ? ['--namespace', source.namespace] : []),
    '--kube-version',
    source.kubeVersion ?? options.kubeVersion,
    '--values',
    valuesFile,
    ...apiVersions.flatMap((version) => ['--api-versions', version]),
    ...(source.skipCrds ? [] : ['--include-crds']),
    ...(source.skipSchemaValidation ? ['--skip-schema-validation'] : []),
    ...(source.skipTests ? ['--skip-tests'] : []),
  ];
}

/** `<chartsDir>/<chart>-<version>/`, which must hold a chart. */
function chartDirOf(source: ArgoHelmSource, chartsDir: string): string {
  const folder = `${source.chart}-${source.version}`;
  // Names like "../x" must not leave the charts folder.
  const dir = /^[\w][\w.+-]*$/.test(folder) ? join(chartsDir, folder) : undefined;
  if (!dir || !existsSync(join(dir, 'Chart.yaml'))) {
    throw new HelmRenderError(
      `${describeSource(source)}: no chart folder for ${source.chart}@${source.version}: ${join(chartsDir, folder)} is missing ` +
        '(set AGENT_PLATFORM_HELM_CHARTS to the folder holding the <chart>-<version>/ trees)',
      '',
      false,
    );
  }
  return dir;
}

function runHelm(helm: string, args: string[], work: string, timeoutMs: number, where: string): Promise<{ stdout: string }> {
  // Helm's own cache, config and data go to the throw-away folder, never to the user's home.
  const env = { ...process.env, HELM_CACHE_HOME: join(work, 'cache'), HELM_CONFIG_HOME: join(work, 'config'), HELM_DATA_HOME: join(work, 'data') };
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      args,
      { cwd: work, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout });
        const timedOut = error.killed === true;
        const why = timedOut ? `timed out after ${timeoutMs} ms` : `failed (${error.code ?? error.signal ?? error.message})`;
        reject(new HelmRenderError(`${where}: helm ${args.join(' ')} ${why}:\n${stderr.trim() || error.message}`, stderr, timedOut));
      },
    );
  });
}

function parseManifests(output: string): KubeObject[] {
  return yaml.loadAll(output).filter((doc): doc is KubeObject => isMap(doc));
}

function describeSource(source: ArgoHelmSource): string {
  return `Argo CD application ${source.application} (dist/${source.file})`;
}

/** Renders sources, running each distinct render once and at most `concurrency` Helm processes at a time. */
export interface HelmRenderer {
  readonly chartsDir: string;
  render(source: ArgoHelmSource): Promise<KubeObject[]>;
  /** How many Helm processes it has started. */
  readonly renders: number;
}

export function helmRenderer(options: HelmRenderOptions & { readonly concurrency?: number }): HelmRenderer {
  const chartsDir = options.chartsDir ?? helmChartsDir();
  const limit = limiter(options.concurrency ?? 2);
  const cache = new Map<string, Promise<KubeObject[]>>();
  let renders = 0;
  return {
    chartsDir,
    get renders() {
      return renders;
    },
    render(source) {
      const key = renderKey(source);
      let rendered = cache.get(key);
      if (!rendered) {
        rendered = limit(() => {
          renders++;
          return renderHelmSource(source, { ...options, chartsDir });
        });
        cache.set(key, rendered);
      }
      return rendered;
    },
  };
}

/** What decides Helm's output: the same for the same chart, release, namespace, flags and values in any key order. */
function renderKey(source: ArgoHelmSource): string {
  const { chart, version, releaseName, namespace, skipCrds, skipTests, skipSchemaValidation, kubeVersion, apiVersions, unsupported, values } = source;
  return JSON.stringify(
    sortedKeys([chart, version, releaseName, namespace, skipCrds, skipTests, skipSchemaValidation, kubeVersion, apiVersions, unsupported, values]),
  );
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (!isMap(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

function limiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (active >= concurrency || queue.length === 0) return;
    active++;
    queue.shift()!();
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push(() =>
        task()
          .then(resolve, reject)
          .finally(() => {
            active--;
            next();
          }),
      );
      next();
    });
}

/** A value the source sets: a scalar, an array or an empty map, at its key path. */
export interface ValueLeaf {
  readonly path: readonly string[];
  readonly value: unknown;
}

/** The leaves of a values map, depth first in key order. */
export function valueLeaves(values: Values, path: readonly string[] = []): ValueLeaf[] {
  return Object.entries(values).flatMap(([key, value]) =>
    isMap(value) && Object.keys(value).length > 0 ? valueLeaves(value, [...path, key]) : [{ path: [...path, key], value }],
  );
}

/**
 * The defaults Helm sees for a chart: its values.yaml over each subchart's defaults under the subchart's
 * key (its alias, else its name), down the whole dependency tree.
 */
export function chartDefaults(chartDir: string): Values {
  const subcharts = Object.fromEntries(subchartsOf(chartDir).map(({ key, dir }) => [key, chartDefaults(dir)]));
  return coalesce(readYamlMap(join(chartDir, 'values.yaml')), subcharts);
}

/** The vendored subcharts (`charts/<dir>/`) and the value key each is seen under; one chart may serve several aliases. */
function subchartsOf(chartDir: string): Array<{ key: string; dir: string }> {
  const chartsFolder = join(chartDir, 'charts');
  if (!existsSync(chartsFolder)) return [];
  const dependencies = (readYamlMap(join(chartDir, 'Chart.yaml')).dependencies ?? []) as Array<{ name: string; alias?: string }>;
  return readdirSync(chartsFolder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(chartsFolder, entry.name, 'Chart.yaml')))
    .flatMap((entry) => {
      const dir = join(chartsFolder, entry.name);
      const name = String(readYamlMap(join(dir, 'Chart.yaml')).name ?? entry.name);
      const uses = dependencies.filter((dependency) => dependency.name === name);
      return (uses.length > 0 ? uses.map((use) => use.alias ?? name) : [name]).map((key) => ({ key, dir }));
    });
}

/** `preferred` over `fallback`, maps merged deeply; a null in `preferred` deletes the key (Helm's coalescing). */
function coalesce(preferred: Values, fallback: Values): Values {
  const merged: Values = { ...fallback };
  for (const [key, value] of Object.entries(preferred)) {
    if (value === null && key in fallback) delete merged[key];
    else merged[key] = isMap(value) && isMap(fallback[key]) ? coalesce(value, fallback[key]) : value;
  }
  return merged;
}

/** The default at a key path (undefined where the defaults have no such map path). */
export function defaultAt(defaults: Values, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), defaults);
}

/**
 * Whether setting `value` over the chart's `defaultValue` changes the values Helm sees: a null only deletes an
 * existing default, an empty map merged into a map changes nothing, anything else must differ.
 */
export function changesDefault(value: unknown, defaultValue: unknown): boolean {
  if (value === null) return defaultValue !== null && defaultValue !== undefined;
  if (isMap(value) && Object.keys(value).length === 0) return !isMap(defaultValue);
  return !deepEqual(value, defaultValue);
}

/** The leaves worth a render: those that change the chart's defaults (removing the others cannot change the output). */
export function leavesToCheck(values: Values, defaults: Values): ValueLeaf[] {
  return valueLeaves(values).filter((leaf) => changesDefault(leaf.value, defaultAt(defaults, leaf.path)));
}

/** The values without the leaf at `path`, and without the maps that held only it: as if it had never been written. */
export function withoutLeaf(values: Values, path: readonly string[]): Values {
  const [key, ...rest] = path;
  if (!(key in values)) return values;
  const { [key]: child, ...others } = values;
  if (rest.length === 0 || !isMap(child)) return others;
  const pruned = withoutLeaf(child, rest);
  return Object.keys(pruned).length === 0 ? others : { ...others, [key]: pruned };
}

/** The values with `value` at `path`, the maps above it created or copied. */
export function withLeaf(values: Values, path: readonly string[], value: unknown): Values {
  const [key, ...rest] = path;
  if (rest.length === 0) return { ...values, [key]: value };
  const child = values[key];
  return { ...values, [key]: withLeaf(isMap(child) ? child : {}, rest, value) };
}

/**
 * Other values for a leaf, each a read template would render differently: a changed one (a boolean flipped, a
 * string or number altered, an array emptied or filled) and, for a string or number, its zero value (a
 * template that only tests truthiness).
 */
export function probesOf(value: unknown): unknown[] {
  if (typeof value === 'boolean') return [!value];
  if (typeof value === 'number') return value === 0 ? [1] : [value + 1, 0];
  if (typeof value === 'string') return value === '' ? [PROBE] : [`${value}-${PROBE}`, ''];
  if (Array.isArray(value)) return [value.length > 0 ? [] : [PROBE]];
  if (isMap(value)) return [{ [PROBE]: PROBE }];
  return [PROBE];
}

const PROBE = 'argo-helm-probe';

/**
 * How the chart uses a value: `read` (removing it changes Helm's output), `redundant` (removing it changes
 * nothing because the chart computes the same value without it, e.g. an image tag equal to the chart version,
 * but another value does change the output) or `ignored` (neither removing nor changing it changes anything).
 */
export type ValueUse = 'read' | 'redundant' | 'ignored';

export interface ValueVerdict {
  /** Dotted key path, e.g. `controller.imagee.tag`. */
  readonly path: string;
  readonly value: unknown;
  readonly use: ValueUse;
}

/**
 * How the chart uses each value of the source that changes the chart's defaults (values equal to a default
 * in the charts' values.yaml files cannot change the output, so they are not rendered). A render that makes
 * Helm fail counts as a change (the chart evaluates the value); a timeout is an error.
 */
export async function valueUses(source: ArgoHelmSource, renderer: HelmRenderer): Promise<ValueVerdict[]> {
  const baseline = manifestsKey(await renderer.render(source));
  const leaves = leavesToCheck(source.values, chartDefaults(chartDirOf(source, renderer.chartsDir)));
  return Promise.all(leaves.map(async (leaf) => ({ path: dottedPath(leaf.path), value: leaf.value, use: await useOf(source, leaf, baseline, renderer) })));
}

async function useOf(source: ArgoHelmSource, leaf: ValueLeaf, baseline: string, renderer: HelmRenderer): Promise<ValueUse> {
  if (await changesOutput(source, withoutLeaf(source.values, leaf.path), baseline, renderer)) return 'read';
  // Probes run one after the other: most values that survive removal are redundant, and one probe shows it.
  for (const probe of probesOf(leaf.value)) {
    if (await changesOutput(source, withLeaf(source.values, leaf.path, probe), baseline, renderer)) return 'redundant';
  }
  return 'ignored';
}

async function changesOutput(source: ArgoHelmSource, values: Values, baseline: string, renderer: HelmRenderer): Promise<boolean> {
  try {
    return manifestsKey(await renderer.render({ ...source, values })) !== baseline;
  } catch (error) {
    if (error instanceof HelmRenderError && !error.timedOut && error.stderr) return true;
    throw error;
  }
}

function manifestsKey(objects: readonly KubeObject[]): string {
  return JSON.stringify(objects);
}

/** A value the chart never reads. */
export interface IgnoredValue {
  /** Dotted key path, e.g. `controller.imagee.tag`. */
  readonly path: string;
  readonly value: unknown;
  /** Names the Application, its file, the value and the chart. */
  readonly message: string;
}

/** Every value of the source that the chart does not read: neither removing nor changing it changes Helm's output. */
export async function ignoredValues(source: ArgoHelmSource, renderer: HelmRenderer): Promise<IgnoredValue[]> {
  const verdicts = await valueUses(source, renderer);
  return verdicts
    .filter(({ use }) => use === 'ignored')
    .map((verdict) => ({ path: verdict.path, value: verdict.value, message: ignoredMessage(source, verdict) }));
}

function ignoredMessage(source: ArgoHelmSource, { path, value }: ValueVerdict): string {
  return (
    `${describeSource(source)}: Helm value ${path}=${typeof value === 'string' ? value : JSON.stringify(value)} ` +
    `is not read by chart ${source.chart} ${source.version} (rendering without it, or with another value, gives identical output)`
  );
}

/** `a.b.c`, quoting keys that hold a dot (`podAnnotations."prometheus.io/scrape"`). */
export function dottedPath(path: readonly string[]): string {
  return path.map((key) => (/^[^."]+$/.test(key) ? key : JSON.stringify(key))).join('.');
}

function readYamlMap(file: string): Values {
  const parsed = existsSync(file) ? yaml.load(readFileSync(file, 'utf8')) : undefined;
  return isMap(parsed) ? parsed : {};
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
}

function isEmpty(value: unknown): boolean {
  return (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
}

function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

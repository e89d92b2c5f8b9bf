import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../src/synth/render-tree';
import type { KubeObject } from '../../src/core/kube-object';
import {
  changesDefault,
  chartDefaults,
  defaultAt,
  dottedPath,
  helmChartsDir,
  helmSourcesOf,
  helmTemplateArgs,
  leavesToCheck,
  probesOf,
  renderHelmSource,
  valueLeaves,
  withLeaf,
  withoutLeaf,
} from '../../src/verify/argo-helm';
import { DIST, readTree } from '../support/platform';

/** The committed dist/ tree, parsed as synth wrote it. */
function committedTree(): RenderedFile[] {
  return [...readTree(DIST)]
    .filter(([path]) => path.endsWith('.yaml'))
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, content]) => ({ path, content, objects: yaml.loadAll(content).filter((doc): doc is KubeObject => typeof doc === 'object' && doc !== null) }));
}

function fileWith(path: string, ...objects: KubeObject[]): RenderedFile {
  return { path, content: '', objects };
}

describe('helmSourcesOf', () => {
  const sources = helmSourcesOf(committedTree());

  it('finds the four Helm sources of the committed tree, with their waves', () => {
    expect(sources.map((s) => [s.application, s.chart, s.version, s.wave])).toEqual([
      ['kagent-crds', 'kagent-crds', '0.9.12', 1],
      ['kagent', 'kagent', '0.9.12', 2],
      ['toolhive-operator-crds', 'toolhive-operator-crds', '0.44.0', 1],
      ['toolhive-operator', 'toolhive-operator', '0.44.0', 2],
    ]);
  });

  it('reads the kagent application as Argo CD passes it to helm template', () => {
    const kagent = sources.find((s) => s.application === 'kagent')!;
    expect(kagent).toMatchObject({
      file: 'argocd/application-kagent.yaml',
      pointer: '/spec/source',
      chart: 'kagent',
      version: '0.9.12',
      releaseName: 'kagent',
      namespace: 'kagent',
      wave: 2,
      skipCrds: false,
      skipTests: false,
      unsupported: [],
    });
    expect(kagent.values).toMatchObject({ registry: 'ghcr.io', tag: '0.9.12' });
    expect((kagent.values['k8s-agent'] as any).enabled).toBe(false);
  });

  it('keeps an empty valuesObject and the toolhive values', () => {
    expect(sources.find((s) => s.application === 'kagent-crds')!.values).toEqual({});
    expect(sources.find((s) => s.application === 'toolhive-operator-crds')).toMatchObject({
      namespace: 'toolhive-system',
      values: { crds: { install: true, keep: true } },
    });
  });

  const application = (spec: Record<string, unknown>, annotations?: Record<string, string>): KubeObject => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'multi', ...(annotations ? { annotations } : {}) },
    spec: { destination: { namespace: 'apps' }, ...spec },
  });

  it('reads every source of spec.sources, with Argo CD defaults and overrides', () => {
    const found = helmSourcesOf([
      fileWith(
        'argocd/application-multi.yaml',
        application({
          sources: [
            { repoURL: 'https://github.com/x/y.git', path: 'dist/x' },
            { repoURL: 'oci://ghcr.io/a/one', path: '.', targetRevision: '1.0.0', helm: { values: 'a: {b: 1}' } },
            {
              repoURL: 'oci://ghcr.io/a/two',
              targetRevision: '2.0.0',
              helm: {
                releaseName: 'r',
                namespace: 'other',
                skipCrds: true,
                values: 'ignored: true',
                valuesObject: { c: 2 },
                parameters: [{ name: 'p', value: '1' }],
              },
            },
          ],
        }),
        { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'not-an-app' } },
      ),
    ]);
    expect(found).toHaveLength(2);
    // No releaseName: the Application's name; no sync-wave annotation: wave 0; `values` parsed.
    expect(found[0]).toMatchObject({
      pointer: '/spec/sources/1',
      chart: 'one',
      version: '1.0.0',
      releaseName: 'multi',
      namespace: 'apps',
      wave: 0,
      values: { a: { b: 1 } },
    });
    // valuesObject wins over values, helm.namespace over the destination.
    expect(found[1]).toMatchObject({
      pointer: '/spec/sources/2',
      chart: 'two',
      releaseName: 'r',
      namespace: 'other',
      skipCrds: true,
      values: { c: 2 },
      unsupported: ['helm.parameters'],
    });
  });

  it('reads a non-numeric sync wave as 0 and a negative one as is', () => {
    const waveOf = (wave: string) =>
      helmSourcesOf([fileWith('a.yaml', application({ source: { repoURL: 'oci://r/c', targetRevision: '1' } }, { 'argocd.argoproj.io/sync-wave': wave }))])[0]
        .wave;
    expect(waveOf('-3')).toBe(-3);
    expect(waveOf('later')).toBe(0);
  });
});

describe('value leaves and defaults', () => {
  const values = {
    controller: { image: { registry: 'ghcr.io', tag: '0.9.12' }, volumes: [{ name: 'v' }], podLabels: {} },
    'kagent-tools': { enabled: true },
    tag: '0.9.12',
  };

  it('enumerates scalars, arrays and empty maps as leaves', () => {
    expect(valueLeaves(values)).toEqual([
      { path: ['controller', 'image', 'registry'], value: 'ghcr.io' },
      { path: ['controller', 'image', 'tag'], value: '0.9.12' },
      { path: ['controller', 'volumes'], value: [{ name: 'v' }] },
      { path: ['controller', 'podLabels'], value: {} },
      { path: ['kagent-tools', 'enabled'], value: true },
      { path: ['tag'], value: '0.9.12' },
    ]);
  });

  it('compares a leaf with its default as Helm merges it', () => {
    expect(changesDefault('ghcr.io', 'ghcr.io')).toBe(false);
    expect(changesDefault('ghcr.io', '')).toBe(true);
    expect(changesDefault(1800, '1800')).toBe(true);
    expect(changesDefault([{ name: 'v', x: 1 }], [{ x: 1, name: 'v' }])).toBe(false);
    expect(changesDefault(['a'], ['a', 'b'])).toBe(true);
    // An empty map merged into a map changes nothing; over nothing, it does.
    expect(changesDefault({}, { a: 1 })).toBe(false);
    expect(changesDefault({}, undefined)).toBe(true);
    // A null deletes a default, and nothing where there is none.
    expect(changesDefault(null, 'x')).toBe(true);
    expect(changesDefault(null, undefined)).toBe(false);
  });

  it('keeps only the leaves that change the defaults', () => {
    const defaults = { controller: { image: { registry: '', tag: '' }, volumes: [], podLabels: {} }, 'kagent-tools': { enabled: true }, tag: '' };
    expect(leavesToCheck(values, defaults).map((leaf) => dottedPath(leaf.path))).toEqual([
      'controller.image.registry',
      'controller.image.tag',
      'controller.volumes',
      'tag',
    ]);
    expect(defaultAt(defaults, ['controller', 'image', 'tag'])).toBe('');
    expect(defaultAt(defaults, ['tag', 'below', 'a', 'scalar'])).toBeUndefined();
  });

  it('removes a leaf and the maps that held only it, without touching the input', () => {
    const typo = { controller: { imagee: { tag: '1' }, image: { tag: '1' } } };
    expect(withoutLeaf(typo, ['controller', 'imagee', 'tag'])).toEqual({ controller: { image: { tag: '1' } } });
    expect(withoutLeaf({ a: { b: { c: 1 } } }, ['a', 'b', 'c'])).toEqual({});
    expect(withoutLeaf(typo, ['missing', 'x'])).toBe(typo);
    expect(typo.controller.imagee.tag).toBe('1');
  });

  it('sets a leaf on a copy', () => {
    const original = { a: { b: 1, c: 2 } };
    expect(withLeaf(original, ['a', 'b'], 'probe')).toEqual({ a: { b: 'probe', c: 2 } });
    expect(withLeaf(original, ['x', 'y'], true)).toEqual({ a: { b: 1, c: 2 }, x: { y: true } });
    expect(original.a.b).toBe(1);
  });

  it('probes each leaf with values a reading template renders differently', () => {
    expect(probesOf(false)).toEqual([true]);
    expect(probesOf(1800)).toEqual([1801, 0]);
    expect(probesOf('0.9.12')).toEqual(['0.9.12-argo-helm-probe', '']);
    expect(probesOf('')).toEqual(['argo-helm-probe']);
    expect(probesOf(['--read-only'])).toEqual([[]]);
    expect(probesOf({})).toEqual([{ 'argo-helm-probe': 'argo-helm-probe' }]);
  });

  it('quotes keys holding a dot in dotted paths', () => {
    expect(dottedPath(['podAnnotations', 'prometheus.io/scrape'])).toBe('podAnnotations."prometheus.io/scrape"');
    expect(dottedPath(['kagent-tools', 'tools', 'args'])).toBe('kagent-tools.tools.args');
  });
});

describe('chartDefaults', () => {
  const root = mkdtempSync(join(tmpdir(), 'argo-helm-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** Writes a directory chart: Chart.yaml, values.yaml, and its subcharts under charts/<folder>/. */
  function chart(dir: string, meta: Record<string, unknown>, values: string): string {
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), yaml.dump({ apiVersion: 'v2', version: '1.0.0', ...meta }));
    writeFileSync(join(dir, 'values.yaml'), values);
    return dir;
  }

  it('puts subchart defaults under their name or alias, the parent winning, down the tree', () => {
    const parent = chart(
      join(root, 'parent-1.0.0'),
      {
        name: 'parent',
        dependencies: [
          { name: 'tools', version: '1.0.0' },
          { name: 'db', version: '1.0.0', alias: 'database' },
        ],
      },
      'tag: ""\ntools:\n  enabled: true\n  image: { tag: "9" }\ndatabase:\n  dropped: null\n',
    );
    chart(join(parent, 'charts', 'tools'), { name: 'tools' }, 'image:\n  registry: cr.io\n  tag: "1"\n');
    const db = chart(join(parent, 'charts', 'db-folder'), { name: 'db', dependencies: [{ name: 'common', version: '1.0.0' }] }, 'dropped: 5\nport: 5432\n');
    chart(join(db, 'charts', 'common'), { name: 'common' }, 'labels: {}\n');

    expect(chartDefaults(parent)).toEqual({
      tag: '',
      tools: { enabled: true, image: { registry: 'cr.io', tag: '9' } },
      database: { port: 5432, common: { labels: {} } },
    });
  });
});

describe('rendering a source', () => {
  const kagent = () => helmSourcesOf(committedTree()).find((s) => s.application === 'kagent')!;

  it('passes the arguments Argo CD passes', () => {
    expect(
      helmTemplateArgs(kagent(), '/charts/kagent-0.9.12', '/tmp/values.yaml', { kubeVersion: 'v1.36.3', apiVersions: ['monitoring.coreos.com/v1'] }),
    ).toEqual([
      'template',
      '/charts/kagent-0.9.12',
      '--name-template',
      'kagent',
      '--namespace',
      'kagent',
      '--kube-version',
      'v1.36.3',
      '--values',
      '/tmp/values.yaml',
      '--api-versions',
      'monitoring.coreos.com/v1',
      '--include-crds',
    ]);
    const skipping = { ...kagent(), skipCrds: true, skipTests: true, namespace: '', kubeVersion: '1.30.0' };
    expect(helmTemplateArgs(skipping, '/c', '/v', { kubeVersion: 'v1.36.3' })).toEqual([
      'template',
      '/c',
      '--name-template',
      'kagent',
      '--kube-version',
      '1.30.0',
      '--values',
      '/v',
      '--skip-tests',
    ]);
  });

  it('names the application and the folder when the chart is missing', async () => {
    await expect(renderHelmSource(kagent(), { helm: 'helm-is-not-run', kubeVersion: 'v1.36.3', chartsDir: join(tmpdir(), 'no-charts-here') })).rejects.toThrow(
      `Argo CD application kagent (dist/argocd/application-kagent.yaml): no chart folder for kagent@0.9.12: ${join(tmpdir(), 'no-charts-here', 'kagent-0.9.12')} is missing`,
    );
  });

  it('refuses a source whose Helm settings it cannot reproduce', async () => {
    await expect(renderHelmSource({ ...kagent(), unsupported: ['helm.valueFiles'] }, { helm: 'helm-is-not-run', kubeVersion: 'v1.36.3' })).rejects.toThrow(
      'Argo CD application kagent (dist/argocd/application-kagent.yaml): helm.valueFiles cannot be rendered by this check',
    );
  });

  it('finds the charts in AGENT_PLATFORM_HELM_CHARTS, else next to the repository', () => {
    const saved = process.env.AGENT_PLATFORM_HELM_CHARTS;
    try {
      delete process.env.AGENT_PLATFORM_HELM_CHARTS;
      expect(helmChartsDir()).toBe(join(DIST, '..', '..', 'shared', 'helm-charts'));
      process.env.AGENT_PLATFORM_HELM_CHARTS = '/opt/charts';
      expect(helmChartsDir()).toBe('/opt/charts');
    } finally {
      if (saved === undefined) delete process.env.AGENT_PLATFORM_HELM_CHARTS;
      else process.env.AGENT_PLATFORM_HELM_CHARTS = saved;
    }
  });
});

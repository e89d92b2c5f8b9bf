/**
 * Every key KagentInstall renders must be one the pinned chart has: Helm silently ignores the rest. The
 * chart data is the repository's copy in charts/kagent/<version>/, copied from the pinned upstream charts by `npm run import`
 * (values.yaml, subcharts/<dep>/values.yaml, template-values.txt = paths the templates read without declaring them).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { KAGENT_BUILT_IN_AGENTS, KagentInstall, type KagentInstallProps } from '../../src/agents/kagent-install';
import { KagentPostgres } from '../../src/agents/kagent-postgres';
import { SUPPORTED_KAGENT_VERSIONS } from '../../src/core/kagent-versions';
import { AppOfApps } from '../../src/gitops/app-of-apps';
import { Ollama } from '../../src/models/ollama';
import { PlatformChart } from '../../src/core/platform-chart';
import { CHART_VALUES_DIR } from '../../src/core/paths';

const CHARTS = join(CHART_VALUES_DIR, 'kagent');

interface ChartKeys {
  readonly values: unknown;
  readonly templatePaths: ReadonlySet<string>;
  readonly subcharts: ReadonlyMap<string, { values: unknown; templatePaths: ReadonlySet<string> }>;
}

function templatePaths(dir: string): Set<string> {
  const file = join(dir, 'template-values.txt');
  return new Set(
    existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean)
      : [],
  );
}

function loadChart(version: string): ChartKeys {
  const dir = join(CHARTS, version);
  const subDir = join(dir, 'subcharts');
  const subcharts = new Map(
    readdirSync(subDir).map((name) => [
      name,
      { values: yaml.load(readFileSync(join(subDir, name, 'values.yaml'), 'utf8')), templatePaths: templatePaths(join(subDir, name)) },
    ]),
  );
  return { values: yaml.load(readFileSync(join(dir, 'values.yaml'), 'utf8')), templatePaths: templatePaths(dir), subcharts };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf path of a values object (lists are leaves). */
function leaves(value: unknown, path: string[] = []): string[][] {
  if (!isMap(value) || Object.keys(value).length === 0) return [path];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
}

/** A path is known if a prefix is read by the templates, or the defaults have it down to a free-form ({} / null / list) node. */
function knownIn(defaults: unknown[], read: ReadonlySet<string>, path: string[]): boolean {
  for (let i = 1; i <= path.length; i++) if (read.has(path.slice(0, i).join('.'))) return true;
  let nodes = defaults;
  for (const segment of path) {
    if (nodes.some((n) => n === null || Array.isArray(n) || (isMap(n) && Object.keys(n).length === 0))) return true;
    nodes = nodes
      .filter(isMap)
      .filter((n) => segment in n)
      .map((n) => n[segment]);
    if (nodes.length === 0) return false;
  }
  return true;
}

/** The rendered paths the pinned chart does not have. */
function unknownKeys(chart: ChartKeys, values: unknown): string[] {
  return leaves(values)
    .filter((path) => {
      if (knownIn([chart.values], chart.templatePaths, path)) return false;
      const sub = chart.subcharts.get(path[0]);
      const parentAtSub = isMap(chart.values) ? chart.values[path[0]] : undefined;
      return !(sub && knownIn([sub.values, parentAtSub], sub.templatePaths, path.slice(1)));
    })
    .map((path) => path.join('.'));
}

function render(version: string, props: Partial<KagentInstallProps>): Record<string, unknown> {
  const app = Testing.app();
  const chart = new PlatformChart(app, 'argocd', { folder: 'argocd', namespace: 'argocd' });
  const gitops = new AppOfApps(chart, 'gitops', {
    git: { repoUrl: 'https://example.com/lab.git', targetRevision: 'main', basePath: 'dist' },
    folder: 'argocd',
  });
  const ollama = new Ollama(chart, 'ollama', { namespace: 'ollama', models: ['kimi-k2.6:cloud'] });
  const server = new KagentPostgres(chart, 'pg', { namespace: 'kagent' });
  const database = version === '0.7.23' ? undefined : { type: 'postgres' as const, server };
  gitops.addHelmReleases(
    new KagentInstall(chart, 'kagent', { namespace: 'kagent', ollama, defaultModel: 'kimi-k2.6:cloud', version, database, ...props }).helmReleases,
  );
  return Testing.synth(chart).find((o: any) => o.kind === 'Application' && o.metadata.name === 'kagent').spec.source.helm.valuesObject;
}

const VARIANTS: Array<[string, (server: unknown) => Partial<KagentInstallProps>]> = [
  ['defaults', () => ({})],
  [
    'everything on',
    () => ({
      builtInAgents: [...KAGENT_BUILT_IN_AGENTS],
      grafanaMcp: true,
      querydoc: true,
      a2aBaseUrl: 'https://kagent.example',
      streamingTimeout: '20m',
      toolServer: 'cluster-admin',
    }),
  ],
  ['tool server off', () => ({ toolServer: 'off' })],
  ['external postgres', () => ({ database: { type: 'postgres', urlSecret: { name: 'pg', key: 'url' }, vectorEnabled: false } })],
];

describe.each(SUPPORTED_KAGENT_VERSIONS.map((v) => [v]))('kagent %s values exist in the pinned chart', (version) => {
  const chart = loadChart(version);

  it.each(VARIANTS)('%s', (_name, props) => {
    const values = render(version, props(undefined));
    expect(leaves(values).length).toBeGreaterThan(20);
    expect(unknownKeys(chart, values)).toEqual([]);
  });
});

describe('the key walker', () => {
  it('rejects keys of the other version and misspellings', () => {
    expect(unknownKeys(loadChart('0.9.12'), { agents: { 'k8s-agent': { enabled: false } }, controller: { streaming: { timeout: '600s' } } })).toEqual([
      'agents.k8s-agent.enabled',
      // `controller.streaming` is null at 0.9.12 (free-form for the walker); KagentInstall itself never sets it there.
    ]);
    expect(
      unknownKeys(loadChart('0.7.23'), {
        'k8s-agent': { enabled: false },
        controller: { securityContxt: { runAsNonRoot: true } },
        'kagent-tools': { rbac: { readOnli: true } },
      }),
    ).toEqual(['k8s-agent.enabled', 'controller.securityContxt.runAsNonRoot', 'kagent-tools.rbac.readOnli']);
  });

  it('accepts template-read and free-form keys', () => {
    expect(
      unknownKeys(loadChart('0.7.23'), {
        controller: { podSecurityContext: { runAsUser: 1 } },
        kmcp: { image: { tag: '0.2.7' } },
        podSecurityContext: { fsGroup: 1 },
      }),
    ).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { checkTree } from '../../src/synth/publish';
import type { RenderedFile } from '../../src/synth/render-tree';
import { CHART_VALUES_DIR } from '../../src/core/paths';
import { chartValuesProblems, ociHelmSources, supportedCharts } from '../../src/validation/chart-values';
import type { KubeObject } from '../../src/core/kube-object';

const upstream = (chart: string, version: string, sub = '') =>
  yaml.load(readFileSync(join(CHART_VALUES_DIR, chart, version, sub, 'values.yaml'), 'utf8')) as Record<string, any>;

describe('chartValuesProblems', () => {
  it('rejects a misspelt key and names the nearest existing one', () => {
    expect(chartValuesProblems('kagent', '0.9.12', { controller: { securityContxt: true } })).toEqual([
      'controller.securityContxt: not a value of chart kagent 0.9.12; did you mean controller.securityContext?',
    ]);
    expect(chartValuesProblems('kagent', '0.9.12', { controller: { resourcez: { limits: { memory: '1Gi' } } } })).toEqual([
      'controller.resourcez.limits.memory: not a value of chart kagent 0.9.12; did you mean controller.resources.limits.memory?',
    ]);
  });

  it('accepts valid nested keys, and any child of a free-form key', () => {
    expect(upstream('kagent', '0.9.12').providers.ollama.config.host).toBeDefined();
    expect(
      chartValuesProblems('kagent', '0.9.12', {
        providers: { default: 'ollama', ollama: { config: { host: 'http://ollama:11434' }, model: 'kimi-k2.6:cloud' } },
        controller: { resources: { limits: { memory: '1Gi', 'nvidia.com/gpu': 1 } }, env: [{ name: 'A', value: 'b' }] },
        podAnnotations: { 'prometheus.io/scrape': 'true' },
        nodeSelector: { 'kubernetes.io/arch': 'amd64' },
        global: { anything: { goes: true } },
      }),
    ).toEqual([]);
  });

  it('accepts a subchart key under the subchart name and rejects a misspelt one', () => {
    expect(upstream('kagent', '0.9.12', 'subcharts/kmcp').controller.leaderElection.enabled).toBe(true);
    expect(chartValuesProblems('kagent', '0.9.12', { kmcp: { controller: { leaderElection: { enabled: false } } } })).toEqual([]);
    expect(chartValuesProblems('kagent', '0.9.12', { kmcp: { controller: { leaderElecton: { enabled: false } } } })).toEqual([
      'kmcp.controller.leaderElecton.enabled: not a value of chart kagent 0.9.12; did you mean kmcp.controller.leaderElection.enabled?',
    ]);
  });

  it('accepts keys the templates read but values.yaml does not declare (template-values.txt)', () => {
    const values = upstream('kagent', '0.9.12');
    expect(values.controller.securityContext).toBeUndefined();
    expect(values.controller.agentImage.pullSecret).toBeUndefined();
    expect(upstream('kagent', '0.9.12', 'subcharts/kmcp').image.tag).toBeUndefined();
    expect(
      chartValuesProblems('kagent', '0.9.12', {
        controller: { securityContext: { runAsNonRoot: true }, agentImage: { pullSecret: 'regcred' } },
        kmcp: { image: { tag: '0.3.0' } },
      }),
    ).toEqual([]);
  });

  it('follows the chart version: 0.7 keys that moved in 0.9 fail on 0.9.12 and pass on 0.7.23', () => {
    const values = { agents: { 'k8s-agent': { enabled: false } }, database: { type: 'sqlite' } };
    expect(chartValuesProblems('kagent', '0.7.23', values)).toEqual([]);
    expect(chartValuesProblems('kagent', '0.9.12', values)).toEqual([
      'agents.k8s-agent.enabled: not a value of chart kagent 0.9.12; did you mean k8s-agent.enabled?',
      'database.type: not a value of chart kagent 0.9.12; did you mean database?',
    ]);
    expect(chartValuesProblems('kagent', '0.9.12', { 'k8s-agent': { enabled: false }, 'grafana-mcp': { enabled: false } })).toEqual([]);
  });

  it('accepts anything under a dependency whose values are not pinned (substrate)', () => {
    expect(chartValuesProblems('kagent', '0.9.12', { substrate: { enabled: false, worker: { replicas: 2 } } })).toEqual([]);
  });

  it('checks the other pinned charts', () => {
    expect(chartValuesProblems('toolhive-operator', '0.44.0', { operator: { resources: { limits: { memory: '256Mi' } } } })).toEqual([]);
    expect(chartValuesProblems('toolhive-operator-crds', '0.44.0', { crds: { instal: true, keep: true } })).toEqual([
      'crds.instal: not a value of chart toolhive-operator-crds 0.44.0; did you mean crds.install?',
    ]);
    expect(chartValuesProblems('kagent-crds', '0.9.12', { 'kmcp-crds': {} })).toEqual([]);
  });

  it('rejects an unknown chart or version, naming the supported ones', () => {
    expect(supportedCharts()).toEqual({
      kagent: ['0.7.23', '0.9.12'],
      'kagent-crds': ['0.7.23', '0.9.12'],
      'toolhive-operator': ['0.44.0'],
      'toolhive-operator-crds': ['0.44.0'],
    });
    const expected = [
      'chart kagent 0.8.0 has no pinned values; supported: kagent 0.7.23, 0.9.12; kagent-crds 0.7.23, 0.9.12; toolhive-operator 0.44.0; ' +
        'toolhive-operator-crds 0.44.0 (add it to CHART_SOURCES in scripts/crd-sources.ts and run npm run import)',
    ];
    expect(chartValuesProblems('kagent', '0.8.0', {})).toEqual(expected);
    expect(chartValuesProblems('../kagent', '0.9.12', {})[0]).toMatch(/^chart \.\.\/kagent 0\.9\.12 has no pinned values/);
  });
});

const application = (name: string, chart: string, version: string, helm: Record<string, unknown>): KubeObject => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name, namespace: 'argocd' },
  spec: {
    project: 'agent-platform',
    destination: { server: 'https://kubernetes.default.svc', namespace: 'kagent' },
    source: { repoURL: `oci://ghcr.io/kagent-dev/kagent/helm/${chart}`, path: '.', targetRevision: version, helm },
  },
});
const file = (path: string, object: KubeObject): RenderedFile => ({ path, content: yaml.dump(object), objects: [object] });

describe('checkTree and Argo CD Applications', () => {
  it('finds OCI Helm sources with their chart, version and values', () => {
    const app = application('kagent', 'kagent', '0.9.12', { valuesObject: { a: 1 }, values: 'b: 2\n' });
    expect(ociHelmSources(app)).toEqual([
      {
        pointer: '/spec/source',
        chart: 'kagent',
        version: '0.9.12',
        valueSets: [
          { pointer: '/spec/source/helm/valuesObject', values: { a: 1 } },
          { pointer: '/spec/source/helm/values', values: { b: 2 } },
        ],
      },
    ]);
    expect(ociHelmSources({ ...app, spec: { source: { repoURL: 'https://git.example/repo.git', path: 'dist' } } })).toEqual([]);
  });

  it('reports a misspelt valuesObject key with file, Application and pointer', () => {
    const tree = [file('argocd/application-kagent.yaml', application('kagent', 'kagent', '0.9.12', { valuesObject: { controller: { securityContxt: {} } } }))];
    expect(checkTree(tree)).toEqual([
      'dist/argocd/application-kagent.yaml: Application argocd/kagent: /spec/source/helm/valuesObject: ' +
        'controller.securityContxt: not a value of chart kagent 0.9.12; did you mean controller.securityContext?',
    ]);
  });

  it('reports an Application installing a chart version with no pinned values', () => {
    const tree = [file('argocd/application-kagent.yaml', application('kagent', 'kagent', '0.10.0', { valuesObject: {} }))];
    expect(checkTree(tree)).toEqual([
      expect.stringMatching(
        /^dist\/argocd\/application-kagent\.yaml: Application argocd\/kagent: \/spec\/source\/helm\/valuesObject: chart kagent 0\.10\.0 has no pinned values; supported: kagent 0\.7\.23, 0\.9\.12;/,
      ),
    ]);
  });

  it('checks kagent objects against the kagent version the tree installs', () => {
    const goAgent: KubeObject = {
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'Agent',
      metadata: { name: 'a', namespace: 'kagent' },
      spec: { type: 'Declarative', declarative: { modelConfig: 'm', systemMessage: 'hi', runtime: 'go' } },
    };
    const tree = (version: string) => [
      file('argocd/application-kagent-crds.yaml', application('kagent-crds', 'kagent-crds', version, { valuesObject: {} })),
      file('agents/agent-a.yaml', goAgent),
    ];
    expect(checkTree(tree('0.9.12'))).toEqual([]);
    expect(checkTree(tree('0.7.23'))).toEqual([
      'dist/agents/agent-a.yaml: Agent kagent/a: /spec/declarative/runtime: unknown field "runtime" (the schema does not declare it, so the API server would drop it)',
    ]);
    expect(checkTree(tree('0.8.0'))).toEqual([
      'dist/argocd/application-kagent-crds.yaml: installs kagent-crds 0.8.0, which has no pinned kagent schemas; supported: 0.7.23, 0.9.12',
      expect.stringMatching(
        /^dist\/argocd\/application-kagent-crds\.yaml: Application argocd\/kagent-crds: \/spec\/source\/helm\/valuesObject: chart kagent-crds 0\.8\.0 has no pinned values/,
      ),
    ]);
  });
});

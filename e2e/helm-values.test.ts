/**
 * Every Helm source of every cluster tree, rendered by real Helm as Argo CD 3.5.1 renders it: each chart gives
 * the objects the platform needs, and the chart reads every value the library sets.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../src/core/kube-object';
import { helmRenderer, helmSourcesOf, ignoredValues, type ArgoHelmSource } from '../src/verify/argo-helm';
import { ensureToolchain } from '../src/verify/toolchain';
import { clusterTrees } from './support/trees';

const HELM_TIMEOUT = 180_000;
const toolchain = ensureToolchain();
const renderer = helmRenderer({ helm: toolchain.helm, kubeVersion: toolchain.kubernetesVersion, concurrency: 2 });
const trees = clusterTrees();
const checkStarted = performance.now();

afterAll(() => console.log(`helm values: ${trees.length} trees, ${renderer.renders} helm renders in ${seconds(checkStarted)} s`));

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

function findObject(objects: readonly KubeObject[], kind: string, name: string): any {
  const found = objects.filter((o) => o.kind === kind && o.metadata?.name === name);
  expect(found, `${kind} ${name}`).toHaveLength(1);
  return found[0];
}

/** What each chart must render, with a value that shows the Application's values reached the chart. */
const EXPECTED_OBJECTS: Record<string, (objects: readonly KubeObject[], source: ArgoHelmSource) => void> = {
  kagent(objects, source) {
    const controller = findObject(objects, 'Deployment', 'kagent-controller');
    expect(controller.metadata.namespace).toBe(source.namespace);
    expect(controller.spec.template.spec.containers[0].image).toBe(`ghcr.io/kagent-dev/kagent/controller:${source.version}`);
    findObject(objects, 'Deployment', 'kagent-ui');
    findObject(objects, 'Deployment', 'kagent-kmcp-controller-manager');
    const model = findObject(objects, 'ModelConfig', 'default-model-config');
    expect(model.spec.ollama.host).toBe((source.values as any).providers.ollama.config.host);
    // Every built-in agent is disabled.
    expect(objects.filter((o) => o.kind === 'Agent').map((o) => o.metadata?.name)).toEqual([]);
  },
  'kagent-crds'(objects) {
    // kmcp-crds, a subchart, brings mcpservers.kagent.dev.
    for (const name of ['agents.kagent.dev', 'modelconfigs.kagent.dev', 'remotemcpservers.kagent.dev', 'mcpservers.kagent.dev'])
      findObject(objects, 'CustomResourceDefinition', name);
  },
  'toolhive-operator'(objects, source) {
    const operator = findObject(objects, 'Deployment', 'toolhive-operator');
    expect(operator.metadata.namespace).toBe(source.namespace);
    expect(operator.spec.template.spec.containers[0].env).toContainEqual({ name: 'TOOLHIVE_SKIP_UPDATE_CHECK', value: 'true' });
  },
  'toolhive-operator-crds'(objects) {
    const crd = findObject(objects, 'CustomResourceDefinition', 'mcpservers.toolhive.stacklok.dev');
    expect(crd.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
  },
};

for (const tree of trees) {
  describe(`tree ${tree.name}`, () => {
    const sources = helmSourcesOf(tree.files);
    let started = 0;
    let rendersBefore = 0;
    beforeAll(() => {
      started = performance.now();
      rendersBefore = renderer.renders;
    });
    afterAll(() =>
      console.log(`helm values ${tree.name}: ${sources.length} Helm sources, ${renderer.renders - rendersBefore} helm renders, ${seconds(started)} s`),
    );

    it('installs only charts whose rendering is checked', () => {
      expect(sources.map((s) => s.chart).filter((chart) => !(chart in EXPECTED_OBJECTS))).toEqual([]);
    });

    it('renders every Helm source', { timeout: HELM_TIMEOUT }, async () => {
      const rendered = await Promise.all(sources.map(async (source) => ({ source, objects: await renderer.render(source) })));
      for (const { source, objects } of rendered) EXPECTED_OBJECTS[source.chart](objects, source);
    });

    it('sets no Helm value the chart ignores', { timeout: HELM_TIMEOUT }, async () => {
      const ignored = (await Promise.all(sources.map((source) => ignoredValues(source, renderer)))).flat();
      expect(ignored.map((value) => value.message)).toEqual([]);
    });
  });
}

describe('the homelab', () => {
  const sources = helmSourcesOf(trees.find((t) => t.name === 'homelab')!.files);
  const kagent = sources.find((s) => s.chart === 'kagent')!;

  it('installs kagent and ToolHive from their Helm charts', () => {
    expect(sources.map((s) => s.chart).sort()).toEqual(Object.keys(EXPECTED_OBJECTS).sort());
  });

  it('has a misspelt kagent key reported as ignored, with its application', { timeout: HELM_TIMEOUT }, async () => {
    const controller = kagent.values.controller as Record<string, unknown>;
    const misspelt = { ...kagent, values: { ...kagent.values, controller: { ...controller, imagee: { tag: '0.9.12' } } } };
    // Whatever the tree itself gets wrong is reported by the test above; here only the added key counts.
    const alreadyIgnored = new Set((await ignoredValues(kagent, renderer)).map((value) => value.path));
    const ignored = (await ignoredValues(misspelt, renderer)).filter((value) => !alreadyIgnored.has(value.path));
    expect(ignored).toEqual([
      {
        path: 'controller.imagee.tag',
        value: '0.9.12',
        message:
          'Argo CD application kagent (dist/argocd/application-kagent.yaml): Helm value controller.imagee.tag=0.9.12 is not read by chart kagent 0.9.12 ' +
          '(rendering without it, or with another value, gives identical output)',
      },
    ]);
  });
});

describe('renderHelmSource on a small chart', () => {
  const chartsDir = mkdtempSync(join(tmpdir(), 'helm-values-e2e-'));
  afterAll(() => rmSync(chartsDir, { recursive: true, force: true }));
  mkdirSync(join(chartsDir, 'hello-1.0.0', 'templates'), { recursive: true });
  writeFileSync(join(chartsDir, 'hello-1.0.0', 'Chart.yaml'), 'apiVersion: v2\nname: hello\nversion: 1.0.0\n');
  writeFileSync(join(chartsDir, 'hello-1.0.0', 'values.yaml'), 'greeting: ""\nunused: 1\n');
  writeFileSync(
    join(chartsDir, 'hello-1.0.0', 'templates', 'configmap.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  namespace: {{ .Release.Namespace }}\ndata:\n  greeting: {{ required "greeting is required" .Values.greeting | quote }}\n---\n# only a comment\n',
  );
  const hello = (values: Record<string, unknown>): ArgoHelmSource => ({
    application: 'hello-app',
    wave: 0,
    file: 'argocd/application-hello-app.yaml',
    pointer: '/spec/source',
    chart: 'hello',
    version: '1.0.0',
    releaseName: 'hello-release',
    namespace: 'greetings',
    values,
    skipCrds: false,
    skipTests: false,
    skipSchemaValidation: false,
    unsupported: [],
  });
  const small = helmRenderer({ helm: toolchain.helm, kubeVersion: toolchain.kubernetesVersion, chartsDir });

  it('renders with the release name and namespace, skipping empty documents, once per distinct render', async () => {
    const objects = await small.render(hello({ greeting: 'hi', unused: 2 }));
    expect(objects).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hello-release', namespace: 'greetings' }, data: { greeting: 'hi' } }]);
    await small.render(hello({ unused: 2, greeting: 'hi' }));
    expect(small.renders).toBe(1);
  });

  it("fails with the application's name and Helm's stderr", async () => {
    await expect(small.render(hello({}))).rejects.toThrow(
      /^Argo CD application hello-app \(dist\/argocd\/application-hello-app\.yaml\): helm template .* failed \(1\):\n.*greeting is required/s,
    );
  });

  it('reports only the value the chart does not read', async () => {
    const ignored = await ignoredValues(hello({ greeting: 'hi', unused: 2 }), small);
    expect(ignored.map((value) => value.message)).toEqual([
      'Argo CD application hello-app (dist/argocd/application-hello-app.yaml): Helm value unused=2 is not read by chart hello 1.0.0 (rendering without it, or with another value, gives identical output)',
    ]);
  });
});

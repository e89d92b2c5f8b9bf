import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { PlatformChart } from '../../src/core/platform-chart';
import { renderTree } from '../../src/synth/render-tree';
import { swarm } from '../support/swarm';

describe('renderTree', () => {
  it('runs every construct validation once, however many charts the app has', () => {
    const app = Testing.app();
    let runs = 0;
    for (const name of ['one', 'two', 'three']) {
      const chart = new PlatformChart(app, name, { folder: name, namespace: 'kagent' });
      new Construct(chart, 'checked').node.addValidation({ validate: () => (runs++, []) });
    }
    renderTree(app);
    expect(runs).toBe(3);
  });

  it('fails with every construct problem and its path', () => {
    const app = Testing.app();
    const chart = new PlatformChart(app, 'one', { folder: 'one', namespace: 'kagent' });
    new Construct(chart, 'a').node.addValidation({ validate: () => ['first problem'] });
    new Construct(chart, 'b').node.addValidation({ validate: () => ['second problem'] });
    expect(() => renderTree(app)).toThrow('Validation failed with the following errors:\n  [one/a] first problem\n  [one/b] second problem');
  });

  it('renders each object into the file of its closest platform chart, with its YAML read on demand', () => {
    const { app } = swarm();
    const files = renderTree(app);
    const model = files.find((f) => f.path === 'agents/modelconfig-ollama-agents-kimi-k2-6-cloud.yaml');
    expect(model?.objects.map((o) => o.kind)).toEqual(['ModelConfig']);
    expect(model?.content).toMatch(/^apiVersion: kagent\.dev\/v1alpha2\nkind: ModelConfig\n/);
    expect({ ...model }.content).toBe(model?.content);
  });
});

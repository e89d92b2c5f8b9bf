import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { toYaml, YAML_OPTIONS } from '../../src/synth/manifest-file';
import { renderInWorkers } from '../../src/synth/yaml-workers';

const objects = Array.from({ length: 2500 }, (_, i) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'kagent' },
  data: { 'prompt.md': `line ${i}\nsecond line\n`, plain: 'yes', date: '2026-11-26', number: String(i) },
}));

describe.runIf(availableParallelism() > 1)('renderInWorkers', () => {
  it('renders thousands of objects in worker threads to exactly the bytes of the main thread', () => {
    const texts = renderInWorkers(objects, { jsonOf: (o) => JSON.stringify(o), render: toYaml, options: YAML_OPTIONS });
    expect(texts).toHaveLength(objects.length);
    expect(texts).toEqual(objects.map(toYaml));
    // YAML 1.1 readers must not see a bool or a timestamp where the object has a string.
    expect(texts?.[7]).toContain('plain: "yes"\n');
    expect(texts?.[7]).toContain('date: "2026-11-26"\n');
  });

  it('renders a failed worker\'s share on the main thread', () => {
    const texts = renderInWorkers(objects, { jsonOf: () => '{ not json', render: toYaml, options: YAML_OPTIONS });
    expect(texts).toEqual(objects.map(toYaml));
  });

  it('leaves a few objects to be rendered when read', () => {
    expect(renderInWorkers(objects.slice(0, 100), { jsonOf: (o) => JSON.stringify(o), render: toYaml, options: YAML_OPTIONS })).toBeUndefined();
  });
});

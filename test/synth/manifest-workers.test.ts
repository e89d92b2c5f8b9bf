import { closeSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toYaml, YAML_OPTIONS } from '../../src/synth/manifest-file';
import { renderInWorkers, writeInWorkers, type FileStamp } from '../../src/synth/manifest-workers';

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

const work = mkdtempSync(join(tmpdir(), 'manifest-workers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What the main thread does with its share: write the text, return the open file's stamp. */
let writtenHere = 0;
function writeHere({ object, target }: { object: (typeof objects)[number]; target: string }): FileStamp {
  writtenHere++;
  const fd = openSync(target, 'w');
  try {
    writeSync(fd, toYaml(object));
    return fstatSync(fd, { bigint: true });
  } finally {
    closeSync(fd);
  }
}

function targets(name: string) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return objects.map((object, i) => ({ object, target: join(dir, `cm-${i}.yaml`) }));
}

describe.runIf(availableParallelism() > 1)('writeInWorkers', () => {
  it('writes every manifest with the bytes of the main thread, and returns each file\'s stamp as stat sees it', () => {
    writtenHere = 0;
    const manifests = targets('written');
    const stamps = writeInWorkers(manifests, { jsonOf: (o) => JSON.stringify(o), render: toYaml, options: YAML_OPTIONS }, writeHere);
    expect(writtenHere).toBeLessThan(manifests.length);
    expect(stamps).toHaveLength(manifests.length);
    for (const i of [0, 1250, 2499]) {
      expect(readFileSync(manifests[i].target, 'utf8')).toBe(toYaml(objects[i]));
      const stat = statSync(manifests[i].target, { bigint: true });
      const { size, mtimeNs, ino } = stamps![i];
      expect({ size, mtimeNs, ino }).toEqual({ size: stat.size, mtimeNs: stat.mtimeNs, ino: stat.ino });
    }
  });

  it('writes a failed worker\'s share on the main thread', () => {
    writtenHere = 0;
    const manifests = targets('fallback');
    const stamps = writeInWorkers(manifests, { jsonOf: () => '{ not json', render: toYaml, options: YAML_OPTIONS }, writeHere);
    expect(writtenHere).toBe(manifests.length);
    expect(stamps).toHaveLength(manifests.length);
    expect(readFileSync(manifests[2499].target, 'utf8')).toBe(toYaml(objects[2499]));
  });

  it('leaves a few manifests to the caller', () => {
    expect(writeInWorkers(targets('few').slice(0, 100), { jsonOf: (o) => JSON.stringify(o), render: toYaml, options: YAML_OPTIONS }, writeHere)).toBeUndefined();
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { manifestFile, toYaml } from '../../src/synth/manifest-file';
import { publish } from '../../src/synth/publish';
import { renderTree, type RenderedFile } from '../../src/synth/render-tree';
import { ManifestValidator } from '../../src/validation/manifest-validator';
import { swarm } from '../support/swarm';

const work = mkdtempSync(join(tmpdir(), 'publish-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A small tree: a model server, a ModelConfig, an MCP server and two agents. */
function smallTree(prompt = 'You are a.'): RenderedFile[] {
  const { app, agent, tools } = swarm();
  agent('a', { systemPrompt: inlinePrompt(prompt), tools: [tools] });
  agent('b');
  return renderTree(app);
}

let dists = 0;
const freshDist = () => join(work, `dist-${dists++}`);
const agentFile = (dist: string) => join(dist, 'agents', 'agent-a.yaml');

describe('publish: the record of what was published', () => {
  it('keeps an unchanged tree as it is: same inodes, no file rewritten', () => {
    const dist = freshDist();
    publish(smallTree(), { distDir: dist });
    const before = statSync(agentFile(dist), { bigint: true });
    publish(smallTree(), { distDir: dist });
    const after = statSync(agentFile(dist), { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  });

  it('restores a file edited by hand in dist/, even one of the same size', () => {
    const dist = freshDist();
    const files = smallTree();
    publish(files, { distDir: dist });
    const rendered = readFileSync(agentFile(dist), 'utf8');
    writeFileSync(agentFile(dist), rendered.replace('name: a', 'name: z'));
    publish(smallTree(), { distDir: dist });
    expect(readFileSync(agentFile(dist), 'utf8')).toBe(rendered);
  });

  it('removes a file added by hand and writes a file that was deleted', () => {
    const dist = freshDist();
    publish(smallTree(), { distDir: dist });
    const rendered = readFileSync(agentFile(dist), 'utf8');
    writeFileSync(join(dist, 'agents', 'stray.yaml'), 'kind: Stray\n');
    rmSync(agentFile(dist));
    publish(smallTree(), { distDir: dist });
    expect(readdirSync(join(dist, 'agents'))).not.toContain('stray.yaml');
    expect(readFileSync(agentFile(dist), 'utf8')).toBe(rendered);
  });

  it('writes the new bytes when an object changes, and only that file', () => {
    const dist = freshDist();
    publish(smallTree(), { distDir: dist });
    const other = statSync(join(dist, 'agents', 'agent-b.yaml')).ino;
    publish(smallTree('You are a, changed.'), { distDir: dist });
    expect(readFileSync(agentFile(dist), 'utf8')).toContain('You are a, changed.');
    expect(statSync(join(dist, 'agents', 'agent-b.yaml')).ino).toBe(other);
  });
});

describe('publish: a first synth of thousands of files', () => {
  const configMap = (i: number) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'kagent' },
    data: { value: `${i}`, flag: 'yes' },
  });
  const largeTree = () => Array.from({ length: 2500 }, (_, i) => manifestFile(`configs/cm-${i}.yaml`, configMap(i)));

  it('writes every file, and leaves an unchanged tree alone on the next publish', () => {
    const dist = freshDist();
    publish(largeTree(), { distDir: dist, check: () => [] });
    expect(readdirSync(join(dist, 'configs'))).toHaveLength(2500);
    expect(readFileSync(join(dist, 'configs', 'cm-2499.yaml'), 'utf8')).toBe(toYaml(configMap(2499)));
    const before = statSync(join(dist, 'configs', 'cm-2499.yaml'), { bigint: true });
    publish(largeTree(), { distDir: dist, check: () => [] });
    const after = statSync(join(dist, 'configs', 'cm-2499.yaml'), { bigint: true });
    expect([after.ino, after.mtimeNs]).toEqual([before.ino, before.mtimeNs]);
  });
});

describe('publish: objects that passed validation before', () => {
  it('are not validated again; a changed object is', () => {
    // The record lives in the project's cache across test runs: prompts no earlier run has seen.
    const [first, second] = [randomUUID(), randomUUID()];
    const dist = freshDist();
    publish(smallTree(`You are a, ${first}.`), { distDir: dist });
    const validate = vi.spyOn(ManifestValidator.prototype, 'validate');
    publish(smallTree(`You are a, ${first}.`), { distDir: dist });
    expect(validate).not.toHaveBeenCalled();
    publish(smallTree(`You are a, ${second}.`), { distDir: freshDist() });
    expect(validate.mock.calls.map(([object]) => `${object.kind}/${object.metadata?.name}`)).toEqual(['Agent/a']);
  });

  it('a failing object fails every time: only passes are remembered', () => {
    const broken = () => {
      const files = smallTree();
      const agent = files.find((f) => f.path === 'agents/agent-a.yaml')!;
      (agent.objects[0].spec as { declarative: { stream: unknown } }).declarative.stream = 'yes';
      return files;
    };
    for (let run = 0; run < 2; run++) {
      expect(() => publish(broken(), { distDir: freshDist() })).toThrow(/agent-a\.yaml: Agent kagent\/a: \/spec\/declarative\/stream: must be boolean/);
    }
  });

  it('validates everything when the cache is off (AGENT_PLATFORM_VALIDATION_CACHE=off)', () => {
    vi.stubEnv('AGENT_PLATFORM_VALIDATION_CACHE', 'off');
    const validate = vi.spyOn(ManifestValidator.prototype, 'validate');
    const files = smallTree();
    publish(files, { distDir: freshDist() });
    expect(validate).toHaveBeenCalledTimes(files.filter((f) => f.objects.length > 0).length);
    vi.unstubAllEnvs();
  });
});

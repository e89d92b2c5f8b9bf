import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { ApplicationSet, Fleet, clusterConfig, synthesizeFleet, type FleetProps } from '../../src';
import { BASE, TEAMS, buildFleet, main } from '../../examples/fleet/main';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { SynthesisError } from '../../src/synth/publish';
import { readTree } from '../support/platform';

const BUNDLE = 'console.log("bridge")';
const work = mkdtempSync(join(tmpdir(), 'fleet-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const objects = (files: ReturnType<Fleet['render']>) => files.flatMap((f) => f.objects.map((o) => ({ ...o, path: f.path }))) as any[];
const one = (files: ReturnType<Fleet['render']>, kind: string, name: string, namespace?: string, under?: string) => {
  const found = objects(files).filter(
    (o) => o.kind === kind && o.metadata?.name === name && (!namespace || o.metadata?.namespace === namespace) && (!under || o.path.startsWith(under)),
  );
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name} under ${under ?? '/'}, found ${found.length}`);
  return found[0];
};

describe('the two-team, two-cluster example', () => {
  const { fleet } = buildFleet({ bridgeBundle: BUNDLE });
  const files = fleet.render();

  it('validates: every cluster against its own kagent version, the hub, and the ApplicationSet paths', () => {
    expect(fleet.check(files)).toEqual([]);
  });

  it('writes each cluster under clusters/<name>/ and the ApplicationSet under hub/', () => {
    const tops = [...new Set(files.map((f) => f.path.split('/').slice(0, 2).join('/')))].sort();
    expect(tops).toEqual(['clusters/edge', 'clusters/lab', 'hub/applicationset-agent-platform.yaml']);
    expect(files.map((f) => f.path)).toContain('clusters/lab/teams/delivery/agents/agent-po.yaml');
    expect(files.map((f) => f.path)).toContain('clusters/edge/teams/research/agents/agent-scout.yaml');
  });

  it('runs on each cluster only the teams it names', () => {
    expect(fleet.member('lab').teams.map((t) => t.name)).toEqual(['research', 'delivery']);
    expect(fleet.member('edge').teams.map((t) => t.name)).toEqual(['research']);
    expect(files.some((f) => f.path.startsWith('clusters/edge/teams/delivery/'))).toBe(false);
  });

  it('merges per-cluster overrides into the base: storage class, versions', () => {
    expect(one(files, 'PersistentVolumeClaim', 'ollama-data', 'ollama', 'clusters/lab/').spec.storageClassName).toBe('local-path');
    expect(one(files, 'PersistentVolumeClaim', 'ollama-data', 'ollama', 'clusters/edge/').spec.storageClassName).toBe('longhorn');
    expect(one(files, 'Application', 'edge-kagent', 'argocd').spec.source.targetRevision).toBe('0.9.12');
    expect(one(files, 'Application', 'lab-kagent', 'argocd').spec.source.targetRevision).toBe('0.7.23');
  });

  it('deploys each cluster’s Applications to its API server, prefixed with its name', () => {
    const lab = objects(files).filter((o) => o.kind === 'Application' && o.path.startsWith('clusters/lab/'));
    expect(lab.length).toBeGreaterThan(5);
    for (const app of lab) {
      expect(app.metadata.name.startsWith('lab-')).toBe(true);
      expect(app.spec.destination.server).toBe('https://10.0.0.10:6443');
    }
    expect(one(files, 'Application', 'lab-team-delivery', 'argocd').spec.source.path).toBe('dist/clusters/lab/teams/delivery/agents');
    expect(one(files, 'AppProject', 'edge-team-research', 'argocd').spec.destinations).toEqual([{ server: 'https://10.0.1.10:6443', namespace: 'research' }]);
    // No per-cluster root: the ApplicationSet is the root.
    expect(objects(files).filter((o) => o.kind === 'Application' && o.metadata.name.endsWith('-agent-platform'))).toEqual([]);
  });

  it('generates one root per cluster from a list whose paths are folders of the rendered tree', () => {
    const appSet = one(files, 'ApplicationSet', 'agent-platform', 'argocd');
    expect(appSet.spec.generators).toEqual([
      {
        list: {
          elements: [
            { name: 'lab', server: 'https://10.0.0.10:6443', path: 'dist/clusters/lab/argocd' },
            { name: 'edge', server: 'https://10.0.1.10:6443', path: 'dist/clusters/edge/argocd' },
          ],
        },
      },
    ]);
    const folders = new Set(files.map((f) => f.path.slice(0, f.path.lastIndexOf('/'))));
    for (const element of appSet.spec.generators[0].list.elements) {
      const folder = element.path.replace(/^dist\//, '');
      expect(folders.has(folder)).toBe(true);
      // The folder holds the cluster's Applications and AppProjects.
      expect(files.filter((f) => f.path.startsWith(`${folder}/application-`)).length).toBeGreaterThan(3);
    }
    const template = appSet.spec.template;
    expect(template.metadata.name).toBe('{{.name}}-agent-platform');
    expect(template.spec.source).toEqual({
      repoURL: 'https://github.com/example/agent-fleet.git',
      targetRevision: 'main',
      path: '{{.path}}',
      directory: { recurse: false, include: '*.yaml' },
    });
    expect(template.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'argocd' });
    expect(template.spec.project).toBe('default');
    expect(appSet.spec.goTemplateOptions).toEqual(['missingkey=error']);
  });

  it('keeps the same team’s objects apart per cluster (same names, separate trees)', () => {
    expect(one(files, 'Agent', 'scout', 'research', 'clusters/lab/').path).toBe('clusters/lab/teams/research/agents/agent-scout.yaml');
    expect(one(files, 'Agent', 'scout', 'research', 'clusters/edge/').path).toBe('clusters/edge/teams/research/agents/agent-scout.yaml');
  });

  it('publishes atomically into distDir, leaving it untouched when a check fails', () => {
    const dist = join(work, 'dist');
    synthesizeFleet(fleet, { distDir: dist });
    const tree = readTree(dist);
    expect([...tree.keys()].sort()).toEqual(files.map((f) => f.path));
    expect(tree.get('hub/applicationset-agent-platform.yaml')).toBe(files.find((f) => f.path === 'hub/applicationset-agent-platform.yaml')!.content);
    // A fleet whose ApplicationSet points at a folder that is not rendered fails and leaves dist/ as it was.
    const broken = buildFleet({ bridgeBundle: BUNDLE }).fleet;
    Object.defineProperty(broken.applicationSet, 'elements', {
      value: [{ name: 'lab', server: 'https://10.0.0.10:6443', path: 'dist/clusters/nowhere/argocd' }],
    });
    expect(() => synthesizeFleet(broken, { distDir: dist })).toThrow(SynthesisError);
    expect(() => synthesizeFleet(broken, { distDir: dist })).toThrow(
      'cluster "lab": the ApplicationSet agent-platform syncs dist/clusters/nowhere/argocd, which is not a folder of the tree under dist/',
    );
    expect(readTree(dist)).toEqual(tree);
  });
});

describe('Fleet checks and publishing', () => {
  const { fleet } = buildFleet({ bridgeBundle: BUNDLE });
  const files = fleet.render();

  it('reports a problem of an object two clusters share once per file', () => {
    const broken = files.map((file) =>
      /^clusters\/(lab|edge)\/teams\/research\/agents\/agent-scout\.yaml$/.test(file.path)
        ? { ...file, objects: file.objects.map((o) => ({ ...o, spec: { ...(o as any).spec, bogus: true } })) }
        : file,
    );
    const problems = fleet.check(broken);
    expect(problems.filter((p) => p.includes('agent-scout.yaml'))).toEqual([
      expect.stringMatching(/^cluster "edge": dist\/clusters\/edge\/teams\/research\/agents\/agent-scout\.yaml: Agent research\/scout: .*bogus/),
      expect.stringMatching(/^cluster "lab": dist\/clusters\/lab\/teams\/research\/agents\/agent-scout\.yaml: Agent research\/scout: .*bogus/),
    ]);
  });

  it('leaves an unchanged tree alone, and republishes (dropping stale files) when it differs', () => {
    const dist = join(work, 'republish');
    synthesizeFleet(fleet, { distDir: dist });
    const hubFile = join(dist, 'hub', 'applicationset-agent-platform.yaml');
    const inode = statSync(hubFile).ino;
    synthesizeFleet(fleet, { distDir: dist });
    expect(statSync(hubFile).ino).toBe(inode);
    writeFileSync(join(dist, 'hub', 'stale.yaml'), 'kind: Stale\n');
    synthesizeFleet(fleet, { distDir: dist });
    expect(existsSync(join(dist, 'hub', 'stale.yaml'))).toBe(false);
    expect([...readTree(dist).keys()].sort()).toEqual(files.map((f) => f.path));
  });
});

describe('Fleet errors name the cluster', () => {
  const props = (change: Partial<FleetProps> = {}): FleetProps => ({
    base: BASE,
    teams: TEAMS,
    platformOptions: { bridgeBundle: BUNDLE },
    clusters: [{ name: 'lab', server: 'https://10.0.0.10:6443' }],
    ...change,
  });
  const fleet = (change: Partial<FleetProps> = {}) => new Fleet(Testing.app(), 'fleet', props(change));

  it('wraps a cluster-specific value that breaks a check at construction', () => {
    // kagent 0.9 has no SQLite: a base that fits 0.7 breaks on the canary cluster only.
    const sqlite = { ...BASE, kagent: { database: { type: 'sqlite' as const } } };
    expect(() =>
      fleet({
        base: sqlite,
        clusters: [
          { name: 'lab', server: 'https://10.0.0.10:6443' },
          { name: 'canary', server: 'https://10.0.2.10:6443', versions: { kagent: '0.9.12' } },
        ],
      }),
    ).toThrow(/^fleet cluster "canary" \(https:\/\/10\.0\.2\.10:6443\): canary\/agents\/kagent: database "sqlite" was removed in kagent 0\.8/);
    expect(() => fleet({ clusters: [{ name: 'lab', server: 'https://10.0.0.10:6443', storageClassName: 'Fast_SSD' }] })).toThrow(
      'fleet cluster "lab" (https://10.0.0.10:6443): invalid platform config:\n  - lab: config.storageClassName: must be a StorageClass name',
    );
    expect(() => fleet({ clusters: [{ name: 'lab', server: '10.0.0.10:6443' }] })).toThrow(
      'fleet cluster "lab" (10.0.0.10:6443): lab/argocd/platform: cluster "lab" server "10.0.0.10:6443" must be the https:// API server URL registered in Argo CD',
    );
    expect(() => fleet({ clusters: [{ name: 'lab', server: 'https://10.0.0.10:6443', teams: ['ghost'] }] })).toThrow(
      'fleet cluster "lab" (https://10.0.0.10:6443): teams "ghost" are not teams of the fleet; known: research, delivery',
    );
    expect(() => fleet({ clusters: [{ name: 'lab', server: 'https://10.0.0.10:6443', gpuCount: 1 }], base: { ...BASE, ollama: undefined } })).toThrow(
      'fleet cluster "lab" (https://10.0.0.10:6443): gpuCount 1 needs Ollama, but the config has no ollama section',
    );
    expect(() => fleet({ clusters: [{ name: 'Lab', server: 'https://10.0.0.10:6443' }] })).toThrow(
      'fleet cluster "Lab" (https://10.0.0.10:6443): fleet: clusters "Lab" name "Lab" is not a valid Kubernetes name',
    );
  });

  it('wraps a cluster-specific problem found at synthesis', () => {
    const broken = fleet({
      teams: [
        {
          name: 'tiny',
          props: { quota: { agentPods: 1 }, models: { m: { provider: 'ollama', model: 'qwen3:8b' } } },
          build: (team) => {
            for (const name of ['a', 'b']) team.addAgent(name, { name, description: name, systemPrompt: inlinePrompt(name), modelConfig: team.model('m') });
          },
        },
      ],
    });
    expect(() => broken.render()).toThrow(
      /^fleet cluster "lab" \(https:\/\/10\.0\.0\.10:6443\): Validation failed[\s\S]*team "tiny" has 2 agents but its quota allows 1 agent pods/,
    );
  });

  it('rejects empty or duplicate clusters and teams', () => {
    expect(() => fleet({ clusters: [] })).toThrow('fleet: clusters is empty; list at least one cluster');
    expect(() =>
      fleet({
        clusters: [
          { name: 'lab', server: 'https://a:6443' },
          { name: 'lab', server: 'https://b:6443' },
        ],
      }),
    ).toThrow('fleet: cluster "lab" is listed twice; names must be unique');
    expect(() => fleet({ teams: [TEAMS[0], TEAMS[0]] })).toThrow('fleet: team "research" is listed twice; names must be unique');
    expect(() => fleet({ base: { ...BASE, gitops: { repoUrl: 'ftp://x', targetRevision: 'main' } } })).toThrow(
      'invalid platform config:\n  - fleet: base.gitops.repoUrl',
    );
  });

  it('reports Argo CD objects two clusters would both put on the hub', () => {
    const f = fleet();
    const files = f.render();
    const app = files.find((file) => file.path === 'clusters/lab/argocd/application-lab-agents.yaml')!;
    const clash = [...files, { path: 'hub/application-lab-agents.yaml', content: app.content, objects: app.objects }];
    expect(f.check(clash)).toContain(
      "dist/hub/application-lab-agents.yaml: Application argocd/lab-agents is also defined in dist/clusters/lab/argocd/application-lab-agents.yaml; both land in the hub's Argo CD, so rename one",
    );
  });
});

describe('per-cluster GPUs', () => {
  it('gives only the cluster that asks for them a GPU limit and the nvidia RuntimeClass', () => {
    const f = new Fleet(Testing.app(), 'fleet', {
      base: BASE,
      platformOptions: { bridgeBundle: BUNDLE },
      clusters: [
        { name: 'cpu', server: 'https://10.0.0.10:6443' },
        { name: 'gpu', server: 'https://10.0.1.10:6443', gpuCount: 2 },
      ],
    });
    const files = f.render();
    const gpu = one(files, 'StatefulSet', 'ollama', 'ollama', 'clusters/gpu/').spec.template.spec;
    expect(gpu.runtimeClassName).toBe('nvidia');
    expect(gpu.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
    const cpu = one(files, 'StatefulSet', 'ollama', 'ollama', 'clusters/cpu/').spec.template.spec;
    expect(cpu.runtimeClassName).toBeUndefined();
    expect(cpu.containers[0].resources.limits['nvidia.com/gpu']).toBeUndefined();
  });
});

describe('clusterConfig', () => {
  it('merges versions and images key by key and replaces top-level overrides whole', () => {
    const merged = clusterConfig(
      { ...BASE, versions: { toolhive: '0.44.0', images: { node: 'node:20.1.0' } } },
      {
        name: 'x',
        server: 'https://x:6443',
        versions: { kagent: '0.9.12', images: { ollama: 'ollama/ollama:0.12.0' } },
        overrides: { promptDir: 'prompts' },
      },
    );
    expect(merged.versions).toEqual({ toolhive: '0.44.0', kagent: '0.9.12', images: { node: 'node:20.1.0', ollama: 'ollama/ollama:0.12.0' } });
    expect(merged.promptDir).toBe('prompts');
    expect(merged.models).toBe(BASE.models);
  });
});

describe('ApplicationSet', () => {
  const git = { repoUrl: 'https://git.example/fleet.git', targetRevision: 'main', basePath: 'dist' };
  const make = (elements: any[], extra: object = {}) => new ApplicationSet(Testing.chart(), 'set', { name: 'fleet', git, elements, ...extra });

  it('renders a list generator and the root template; suffix, namespace and project are configurable', () => {
    const set = make([{ name: 'a', server: 'https://a:6443', path: 'dist/clusters/a/argocd' }], {
      argocdNamespace: 'gitops',
      applicationSuffix: 'root',
      project: 'fleet-roots',
    });
    const json = set.resource.toJson();
    expect(json.metadata).toEqual({ name: 'fleet', namespace: 'gitops' });
    expect(json.spec.template.metadata.name).toBe('{{.name}}-root');
    expect(json.spec.template.spec.project).toBe('fleet-roots');
    expect(json.spec.template.spec.destination.namespace).toBe('gitops');
    expect(json.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(set.applicationNames).toEqual(['a-root']);
  });

  it.each([
    [[], 'set: elements is empty; list at least one cluster'],
    [[{ name: 'A', server: 'https://a:6443', path: 'dist/a' }], 'set: cluster name "A" must be a DNS-1123 label'],
    [
      [
        { name: 'a', server: 'https://a:6443', path: 'dist/a' },
        { name: 'a', server: 'https://b:6443', path: 'dist/b' },
      ],
      'set: cluster "a" is listed twice',
    ],
    [
      [{ name: 'a', server: 'http://a:6443', path: 'dist/a' }],
      'set: cluster "a" server "http://a:6443" must be the https:// API server URL registered in Argo CD',
    ],
    [[{ name: 'a', server: 'https://a:6443', path: '/abs' }], 'set: cluster "a" path "/abs" must be a relative folder of the repository'],
    [[{ name: 'a', server: 'https://a:6443', path: 'dist/../x' }], 'set: cluster "a" path "dist/../x" must be a relative folder'],
  ])('rejects elements %j', (elements, message) => {
    expect(() => make(elements)).toThrow(message);
  });
});

describe('the example as a program', () => {
  it('publishes into FLEET_DIST', () => {
    const dist = join(work, 'program-dist');
    const previous = process.env.FLEET_DIST;
    process.env.FLEET_DIST = dist;
    try {
      main();
    } finally {
      process.env.FLEET_DIST = previous;
    }
    expect(process.exitCode ?? 0).toBe(0);
    expect(existsSync(join(dist, 'hub', 'applicationset-agent-platform.yaml'))).toBe(true);
    expect(readFileSync(join(dist, 'clusters', 'edge', 'teams', 'research', 'namespace', 'namespace-research.yaml'), 'utf8')).toContain(
      'pod-security.kubernetes.io/enforce: restricted',
    );
  });
});

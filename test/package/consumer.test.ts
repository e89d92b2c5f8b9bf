/**
 * The library as a user meets it: packed with `npm pack`, installed offline (from the npm cache `npm ci`
 * filled) into a new cdk8s app next to cdk8s, constructs and cdk8s-plus-29, imported by package name in
 * TypeScript and plain Node, and the README's library example synthesized there with the cdk8s CLI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestValidator } from '../../src/validation/manifest-validator';
import { validationCode } from '../../src/validation/validated-objects';
import { REPO_ROOT, readTree } from '../support/platform';

const work = mkdtempSync(join(tmpdir(), 'consumer-'));
const consumer = join(work, 'app');
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const run = (command: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...env }, timeout: 240_000 });
const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO_ROOT, encoding: 'utf8' });

/** A hash of every file under `dir`, to prove a folder did not change. */
function treeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(dir, path)).update(readFileSync(path));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** The consumer's lockfile: every package the library and `wanted` need, as this repository's lockfile pins them. */
function consumerLock(tarballPath: string, wanted: string[]): unknown {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, any> };
  const keep = new Map<string, any>();
  const visit = (name: string, from = '') => {
    // Node's lookup: nested under the parent first, then hoisted.
    for (let base = from; ; base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : '') {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`;
      if (lock.packages[key]) {
        if (!keep.has(key)) {
          keep.set(key, lock.packages[key]);
          for (const dep of Object.keys({ ...lock.packages[key].dependencies, ...lock.packages[key].optionalDependencies, ...lock.packages[key].peerDependencies })) visit(dep, key);
        }
        return;
      }
      if (!base) return;
    }
  };
  for (const name of [...wanted, ...Object.keys(pkg.dependencies)]) visit(name);
  const packages: Record<string, any> = {
    '': { name: 'my-platform', dependencies: { 'agent-platform-cdk8s': `file:${tarballPath}`, ...Object.fromEntries(wanted.map((n) => [n, pkg.devDependencies[n]])) } },
    'node_modules/agent-platform-cdk8s': {
      version: pkg.version, resolved: `file:${tarballPath}`,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarballPath)).digest('base64')}`,
      license: pkg.license, dependencies: pkg.dependencies, peerDependencies: pkg.peerDependencies, engines: pkg.engines,
    },
  };
  // This lockfile records no download addresses; npm finds a tarball in its cache by integrity once it has one.
  const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/+$/, '');
  for (const [key, value] of [...keep].sort(([a], [b]) => a.localeCompare(b))) {
    const name = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const resolved = value.resolved ?? `${registry}/${name}/-/${name.split('/').pop()}-${value.version}.tgz`;
    packages[key] = { ...value, resolved, dev: undefined, devOptional: undefined, peer: undefined };
  }
  return { name: 'my-platform', lockfileVersion: 3, requires: true, packages };
}

let tarball: string;
let repoStatusBefore: string;

beforeAll(() => {
  repoStatusBefore = gitStatus();
  const packed = run('npm', ['pack', '--silent', '--pack-destination', work], REPO_ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  tarball = join(work, packed.stdout.trim().split('\n').pop()!);
  mkdirSync(consumer, { recursive: true });
  // `npm ci` fetched tarballs, not registry metadata, so an offline install needs a lockfile: the consumer's is
  // cut from this repository's (same versions, same integrity hashes), plus the packed tarball.
  const wanted = ['cdk8s', 'constructs', 'cdk8s-plus-29', 'tsx', 'typescript', '@types/node'];
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({
    name: 'my-platform', private: true,
    dependencies: { 'agent-platform-cdk8s': `file:${tarball}`, ...Object.fromEntries(wanted.map((n) => [n, pkg.devDependencies[n]])) },
  }, null, 2));
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball, wanted), null, 2));
  const installed = run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], consumer);
  expect(installed.status, installed.stderr).toBe(0);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  it('is at most 2 MB and ships the library, its data and nothing of the reference app', () => {
    expect(statSync(tarball).size).toBeLessThanOrEqual(2 * 1024 * 1024);
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    expect(files).toContain('lib/src/index.js');
    expect(files).toContain('lib/src/index.d.ts');
    expect(files).toContain('lib/bridge.cjs');
    expect(files).toContain('src/chat/pipe/a2a_pipe.py');
    expect(files.some((f) => f.startsWith('schemas/'))).toBe(true);
    for (const prefix of ['dist/', 'test/', 'bench/', 'app/', 'agents/', 'bridge/', 'scripts/']) expect(files.filter((f) => f.startsWith(prefix)), prefix).toEqual([]);
  });
});

describe('installed into a new cdk8s app', () => {
  it('imports by package name in plain Node', () => {
    const out = run(process.execPath, ['-e', "const p = require('agent-platform-cdk8s'); console.log(typeof p.AgentPlatform, typeof p.Agent, typeof p.synthesize)"], consumer);
    expect(out.stdout.trim(), out.stderr).toBe('function function function');
  });

  it('synthesizes the README library example with the cdk8s CLI, validated, leaving the package untouched', () => {
    const example = readFileSync(join(REPO_ROOT, 'examples', 'library', 'main.ts'), 'utf8');
    expect(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).toContain(example);
    writeFileSync(join(consumer, 'main.ts'), example);
    writeFileSync(join(consumer, 'cdk8s.yaml'), readFileSync(join(REPO_ROOT, 'examples', 'library', 'cdk8s.yaml'), 'utf8'));
    writeFileSync(join(consumer, 'tsconfig.json'), readFileSync(join(REPO_ROOT, 'examples', 'library', 'tsconfig.json'), 'utf8'));
    const typecheck = run(process.execPath, [join(consumer, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', '.'], consumer);
    expect(typecheck.status, typecheck.stdout + typecheck.stderr).toBe(0);

    const installedPackage = join(consumer, 'node_modules', 'agent-platform-cdk8s');
    const before = treeHash(installedPackage);
    const synth = run(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], consumer);
    expect(synth.status, synth.stdout + synth.stderr).toBe(0);
    expect(synth.stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/);
    expect(treeHash(installedPackage)).toBe(before);

    const dist = readTree(join(consumer, 'dist'));
    expect([...dist.keys()]).toEqual(expect.arrayContaining(['agents/agent-lead.yaml', 'agents/agent-writer.yaml', 'models/statefulset-ollama.yaml', 'namespaces/namespace-docs-team.yaml']));
    expect(dist.get('agents/agent-lead.yaml')).toContain('name: writer');
    const validator = new ManifestValidator();
    const yaml = require('js-yaml') as typeof import('js-yaml');
    const problems = [...dist].filter(([path]) => path.endsWith('.yaml')).flatMap(([path, text]) => validator.validate(yaml.load(text) as never, path));
    expect(problems).toEqual([]);
  });

  it('keys its validation record by the validation code it ships (lib/src/validation)', () => {
    const installedPackage = join(consumer, 'node_modules', 'agent-platform-cdk8s');
    const files = validationCode(installedPackage).map((file) => relative(installedPackage, file));
    expect(files).toEqual(expect.arrayContaining(['lib/src/validation/manifest-validator.js', 'lib/src/validation/validated-objects.js', 'lib/src/validation/cel-rules.js']));
    expect(validationCode(REPO_ROOT).map((file) => relative(REPO_ROOT, file))).toEqual(expect.arrayContaining(['src/validation/manifest-validator.ts']));
  });

  it('fails a bad change with the construct path and leaves the published tree as it was', () => {
    const before = readTree(join(consumer, 'dist'));
    writeFileSync(join(consumer, 'main.ts'), readFileSync(join(consumer, 'main.ts'), 'utf8').replace("name: 'reviewer'", "name: 'Reviewer'"));
    const synth = run(join(REPO_ROOT, 'node_modules', '.bin', 'cdk8s'), ['synth'], consumer);
    expect(synth.status).not.toBe(0);
    expect(synth.stderr).toContain('agents/reviewer: name "Reviewer" is not a valid Kubernetes name');
    expect(readTree(join(consumer, 'dist'))).toEqual(before);
  });

  it('changed nothing in this repository', () => {
    expect(gitStatus()).toBe(repoStatusBefore);
  });
});

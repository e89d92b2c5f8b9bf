/**
 * The library as a user gets it today: packed with `npm pack`, installed with the README's install line, then
 * the README's path verbatim — `init`, `synth`, `validate` with the package's own CLI — and the cdk8s CLI for
 * those who prefer it. Offline: npm asks a stand-in registry (below) for what it would ask registry.npmjs.org.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdtempSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFleet } from '../../examples/fleet/main';
import { validationCode } from '../../src/validation/validation-key';
import { REPO_ROOT, readTree } from '../support/platform';
import { startRegistry, userShell, type Run } from '../support/stand-in-registry';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
const TARBALL = `agent-platform-cdk8s-${pkg.version}.tgz`;
/** The README's lines, run as they are written. */
const INSTALL = `npm install ./${TARBALL} cdk8s constructs cdk8s-plus-29 && npm install -D typescript @types/node`;
const INIT = 'npx agent-platform-cdk8s init my-lab';
const SYNTH = 'cd my-lab && npx agent-platform-cdk8s synth';
const VALIDATE = 'npx agent-platform-cdk8s validate dist';
const INSTALL_CDK8S_CLI = 'npm install -D cdk8s-cli';

const work = mkdtempSync(join(tmpdir(), 'consumer-'));
/** The folder the user installs into; `init` writes my-lab/ in it. */
const platform = join(work, 'platform');
const lab = join(platform, 'my-lab');
const gitStatus = () => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: REPO_ROOT, encoding: 'utf8' });

let registry: { url: string; server: Server };
let repoStatusBefore: string;
let installed: Run;

/** A shell command as the user types it, with npm pointed at the stand-in registry. */
const sh = (command: string, cwd: string, env: Record<string, string> = {}): Promise<Run> => userShell(registry.url, join(work, 'cache'))(command, cwd, env);

/** No output holds a stack frame ("    at f (file:1:2)"). */
function expectNoStackTrace(...runs: Run[]): void {
  for (const run of runs) expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
}

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

beforeAll(async () => {
  repoStatusBefore = gitStatus();
  registry = await startRegistry();
  // The README's first step, in this clone.
  const packed = await sh(`npm pack --silent --pack-destination ${JSON.stringify(work)}`, REPO_ROOT);
  expect(packed.status, packed.stderr).toBe(0);
  expect(packed.stdout.trim().split('\n').pop()).toBe(TARBALL);
  execFileSync('mkdir', ['-p', platform]);
  copyFileSync(join(work, TARBALL), join(platform, TARBALL));
  installed = await sh(INSTALL, platform);
}, 300_000);

afterAll(async () => {
  await new Promise((closed) => registry?.server.close(closed));
  rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  const files = () =>
    execFileSync('tar', ['-tzf', join(work, TARBALL)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, ''));
  const manifest = () => JSON.parse(execFileSync('tar', ['-xzOf', join(work, TARBALL), 'package/package.json'], { encoding: 'utf8' }));

  it('is at most 2 MB and ships the library, its CLI, its data and the example init copies, nothing of the reference app', () => {
    expect(statSync(join(work, TARBALL)).size).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(files()).toEqual(
      expect.arrayContaining([
        'lib/src/index.js',
        'lib/src/index.d.ts',
        'lib/bridge.cjs',
        'lib/src/cli/main.js',
        'bin/agent-platform-cdk8s.cjs',
        'src/chat/pipe/a2a_pipe.py',
        'examples/library/main.ts',
        'examples/library/prompts/writer.md',
        'examples/library/cdk8s.yaml',
        'examples/library/tsconfig.json',
      ]),
    );
    expect(files().some((f) => f.startsWith('schemas/'))).toBe(true);
    for (const prefix of ['dist/', 'test/', 'bench/', 'app/', 'agents/', 'bridge/', 'examples/fleet/'])
      expect(
        files().filter((f) => f.startsWith(prefix)),
        prefix,
      ).toEqual([]);
    expect(files().filter((f) => f.startsWith('scripts/'))).toEqual(['scripts/quiet-cdk8s-cli.cjs']);
  });

  it('has a manifest whose bin and scripts point only at files it ships, and no install-time script', () => {
    const packed = manifest();
    expect(packed.bin).toEqual({ 'agent-platform-cdk8s': 'bin/agent-platform-cdk8s.cjs' });
    // npm runs these for an installed (or linked, or git) package, and npm 11 lists them as install scripts to approve.
    for (const event of ['preinstall', 'install', 'postinstall', 'prepare']) expect(packed.scripts?.[event], event).toBeUndefined();
    // The lifecycle scripts left (npm runs `dependencies` in this repository only, after an install) name shipped files.
    const named = (command: string) => command.split(/\s+/).filter((word) => /\.(c?js|mjs|ts)$/.test(word));
    for (const event of ['dependencies', 'prepack', 'postpack', 'prepublishOnly']) {
      for (const file of named(packed.scripts?.[event] ?? '')) expect(files(), `${event}: ${file}`).toContain(file);
    }
  });

  it('has declarations that import only packages a consumer installs with it (no dev-only types)', () => {
    const declarations = files().filter((f) => /\.d\.c?ts$/.test(f));
    const imported = new Set(
      declarations.flatMap((f) =>
        [...readFileSync(join(platform, 'node_modules', 'agent-platform-cdk8s', f), 'utf8').matchAll(/(?:from|import\()\s*'([^'.][^']*)'/g)].map((m) => m[1]),
      ),
    );
    const shipped = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const typesOf = (name: string) => `@types/${name.replace(/^@(.*)\//, '$1__')}`;
    for (const name of imported) {
      const root = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
      if (root.startsWith('node:')) continue;
      expect(shipped.has(root), `${name}: a dependency or peer`).toBe(true);
      const packageJson = JSON.parse(readFileSync(join(platform, 'node_modules', root, 'package.json'), 'utf8'));
      const ownTypes = Boolean(packageJson.types ?? packageJson.typings) || JSON.stringify(packageJson.exports ?? {}).includes('"types"');
      expect(ownTypes || shipped.has(typesOf(root)), `${name}: its types ship with it, or ${typesOf(root)} is a dependency`).toBe(true);
    }
  });
});

describe('the README path, verbatim', () => {
  it('documents exactly the lines this test runs', () => {
    for (const line of ['npm ci && npm pack', INSTALL, INIT, SYNTH, VALIDATE, INSTALL_CDK8S_CLI]) expect(README).toContain(line);
  });

  it("installs from the tarball with the README's line, cdk8s and the type-checking tools beside it", () => {
    expect(installed.status, installed.stdout + installed.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(platform, 'package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['agent-platform-cdk8s', 'cdk8s', 'cdk8s-plus-29', 'constructs']);
    expect(Object.keys(manifest.devDependencies).sort()).toEqual(['@types/node', 'typescript']);
    expect(existsSync(join(platform, 'node_modules', '.bin', 'agent-platform-cdk8s'))).toBe(true);
    expect(`${installed.stdout}${installed.stderr}`).not.toContain('agent-platform-cdk8s@');
  });

  it('init, synth, validate: dist/ written and valid, no stack trace anywhere; the app type-checks with skipLibCheck off', async () => {
    const init = await sh(INIT, platform);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('next: cd my-lab && npx agent-platform-cdk8s synth');

    const synth = await sh(SYNTH, platform);
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stdout).toMatch(/^dist\/: 11 files, 11 written \(11 new, 0 changed\), 0 unchanged, 0 removed in \d+\.\ds\n$/);
    const dist = readTree(join(lab, 'dist'));
    expect([...dist.keys()]).toEqual(
      expect.arrayContaining(['agents/agent-lead.yaml', 'agents/agent-writer.yaml', 'models/statefulset-ollama.yaml', 'namespaces/namespace-docs-team.yaml']),
    );
    expect(dist.get('agents/agent-lead.yaml')).toContain('name: writer');
    // The writer's prompt comes from the prompt file init wrote.
    expect(dist.get('agents/agent-writer.yaml')).toContain('You write short, accurate release notes.');

    const validate = await sh(VALIDATE, lab);
    expect(validate.status, validate.stderr).toBe(0);
    expect(validate.stdout).toBe('validated 11 objects in 11 files under dist/: no problems\n');
    expectNoStackTrace(init, synth, validate);

    const again = await sh(SYNTH, platform);
    expect(again.stdout).toMatch(/^dist\/: 11 files, 0 written \(0 new, 0 changed\), 11 unchanged, 0 removed/);

    const typecheck = await sh('npx tsc --noEmit -p . --skipLibCheck false', lab);
    expect(typecheck.status, typecheck.stdout + typecheck.stderr).toBe(0);
  }, 180_000);

  it('a bad change fails with the construct path, exit 1, no stack trace, and leaves dist/ and the package as they were', async () => {
    const before = treeHash(join(lab, 'dist'));
    const installedPackage = treeHash(join(platform, 'node_modules', 'agent-platform-cdk8s'));
    const main = readFileSync(join(lab, 'main.ts'), 'utf8');
    writeFileSync(join(lab, 'main.ts'), main.replace("name: 'reviewer'", "name: 'Reviewer'"));
    const synth = await sh(SYNTH, platform);
    writeFileSync(join(lab, 'main.ts'), main);
    expect(synth.status).toBe(1);
    expect(synth.stderr).toContain('agents/reviewer: name "Reviewer" is not a valid Kubernetes name');
    expectNoStackTrace(synth);
    expect(treeHash(join(lab, 'dist'))).toBe(before);
    expect(treeHash(join(platform, 'node_modules', 'agent-platform-cdk8s'))).toBe(installedPackage);
  }, 120_000);

  it('with the cdk8s CLI and a cdk8s.yaml as `cdk8s init` writes it: dist/ stays byte-identical and the warning says the fix', async () => {
    const cli = await sh(INSTALL_CDK8S_CLI, platform);
    expect(cli.status, cli.stderr).toBe(0);
    writeFileSync(join(lab, 'cdk8s.yaml'), 'language: typescript\napp: npx tsx main.ts\n');
    const before = treeHash(join(lab, 'dist'));
    // The cdk8s CLI's upgrade check, as the README says to turn it off (offline it prints a trace).
    const synth = await sh('npx cdk8s synth', lab, { CDK8S_CHECK_UPGRADE: 'false' });
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stderr).toContain(
      'Fix: add the line "output: .cdk8s-staging" to cdk8s.yaml (and ".cdk8s-staging" to .gitignore), or run `npx agent-platform-cdk8s synth`.',
    );
    expect(treeHash(join(lab, 'dist'))).toBe(before);
  }, 180_000);
});

describe('the installed package', () => {
  it('imports by package name in plain Node', async () => {
    const out = await sh(
      `${JSON.stringify(process.execPath)} -e "const p = require('agent-platform-cdk8s'); console.log(typeof p.AgentPlatform, typeof p.Agent, typeof p.synthesize)"`,
      platform,
    );
    expect(out.stdout.trim(), out.stderr).toBe('function function function');
  });

  it('runs the fleet example unchanged from the tarball, publishing exactly the tree the repository renders', async () => {
    copyFileSync(join(REPO_ROOT, 'examples', 'fleet', 'main.ts'), join(platform, 'fleet.ts'));
    const fleetDist = join(work, 'fleet-dist');
    const run = await sh('npx tsx fleet.ts', platform, { FLEET_DIST: fleetDist });
    expect(run.status, run.stderr).toBe(0);
    const expected = new Map(
      buildFleet()
        .fleet.render()
        .map((file) => [file.path, file.content] as const),
    );
    expect(readTree(fleetDist)).toEqual(expected);
  }, 180_000);

  it('keys its validation caches by the validation code it ships (lib/src/validation and lib/src/core)', () => {
    const installedPackage = join(platform, 'node_modules', 'agent-platform-cdk8s');
    const files = validationCode(installedPackage).map((file) => relative(installedPackage, file));
    expect(files).toEqual(
      expect.arrayContaining([
        'lib/src/validation/manifest-validator.js',
        'lib/src/validation/cel-rules.js',
        'lib/src/core/build-cache.cjs',
        'lib/src/core/names.js',
      ]),
    );
    expect(validationCode(REPO_ROOT).map((file) => relative(REPO_ROOT, file))).toEqual(expect.arrayContaining(['src/validation/manifest-validator.ts']));
  });

  it('changed nothing in this repository', () => {
    expect(gitStatus()).toBe(repoStatusBefore);
  });
});

/**
 * `synth`: runs an app in its own process, publishes with the real pipeline, prints what changed, and fails
 * with a message (never a stack trace) and exit 1 on a bad app or tree, 2 when there is nothing to run.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTree } from '../support/platform';
import { REPO_ROOT, expectNoStackTrace, runCli } from './run-cli';

const work = mkdtempSync(join(tmpdir(), 'cli-synth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const SMALL_APP = join(REPO_ROOT, 'test', 'support', 'small-app.ts');
const TIME = ' in \\d+\\.\\ds\\n$';

function project(name: string, files: Record<string, string> = {}): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) writeFileSync(join(dir, path), content);
  return dir;
}

const synth = (dir: string, args: string[] = ['--app', SMALL_APP], env: Record<string, string> = {}) =>
  runCli(['synth', ...args], dir, { AGENT_PLATFORM_CACHE: join(dir, '.cache'), ...env });

describe.concurrent('agent-platform-cdk8s synth', () => {
  it('publishes dist/ and says what it wrote, kept and removed each time', () => {
    const dir = project('counts');
    const first = synth(dir);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`^dist/: 1 file, 1 written \\(1 new, 0 changed\\), 0 unchanged, 0 removed${TIME}`));
    expect([...readTree(join(dir, 'dist')).keys()]).toEqual(['namespaces/namespace-team.yaml']);

    expect(synth(dir).stdout).toMatch(new RegExp(`^dist/: 1 file, 0 written \\(0 new, 0 changed\\), 1 unchanged, 0 removed${TIME}`));
    appendFileSync(join(dir, 'dist', 'namespaces', 'namespace-team.yaml'), '# edited by hand\n');
    expect(synth(dir).stdout).toMatch(new RegExp(`^dist/: 1 file, 1 written \\(0 new, 1 changed\\), 0 unchanged, 0 removed${TIME}`));
    const renamed = synth(dir, undefined, { SMALL_APP_NAMESPACE: 'other' });
    expect(renamed.stdout).toMatch(new RegExp(`^dist/: 1 file, 1 written \\(1 new, 0 changed\\), 0 unchanged, 1 removed${TIME}`));
    expect([...readTree(join(dir, 'dist')).keys()]).toEqual(['namespaces/namespace-other.yaml']);
    expect(renamed.stderr).toBe('');
  });

  it('--out publishes elsewhere', () => {
    const dir = project('out');
    const run = synth(dir, ['--app', SMALL_APP, '--out', 'gitops/tree']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^gitops\/tree\/: 1 file, 1 written/);
    expect([...readTree(join(dir, 'gitops', 'tree')).keys()]).toEqual(['namespaces/namespace-team.yaml']);
  });

  it.each([
    ['building', 'build', /^\nnamespaces\/bad: name "Not_A_Name" is not a valid Kubernetes name/],
    [
      'validating',
      'validate',
      /^\nsynthesis failed, dist\/ was left untouched:\n {2}- dist\/namespaces\/namespace-team.yaml: Namespace team is also defined in dist\/again\//,
    ],
  ])('a failure while %s: exit 1, the message, dist/ byte-identical', (_, failure, message) => {
    const dir = project(`fails-${failure}`);
    expect(synth(dir).status).toBe(0);
    const before = readTree(join(dir, 'dist'));
    const run = synth(dir, undefined, { SMALL_APP_FAIL: failure });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
    expectNoStackTrace(run);
    expect(readTree(join(dir, 'dist'))).toEqual(before);
  });

  it("runs the file cdk8s.yaml's app names; refuses an app that is not one file", () => {
    const named = project('from-cdk8s-yaml', { 'cdk8s.yaml': `language: typescript\napp: npx tsx ${SMALL_APP}\noutput: .cdk8s-staging\n` });
    const run = synth(named, []);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^dist\/: 1 file, 1 written/);

    const pipeline = project('pipeline', { 'cdk8s.yaml': 'app: npm run build && node lib/main.js\n', 'main.ts': '' });
    const refused = synth(pipeline, []);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(
      'cdk8s.yaml\'s app ("npm run build && node lib/main.js") does not name one file to run; pass it: `agent-platform-cdk8s synth --app main.ts`\n',
    );
  });

  it('with nothing to run (no cdk8s.yaml, no main.ts; a missing --app): exit 2', () => {
    const empty = project('empty');
    const none = synth(empty, []);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe(
      'the default app (no cdk8s.yaml here): main.ts does not exist (run `agent-platform-cdk8s init` for a new app, or pass --app <file>)\n',
    );
    const missing = synth(empty, ['--app', 'lab.ts']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^--app: lab\.ts does not exist/);
  });

  it('an app that throws outside runSynth: exit 1, its message and line, no stack', () => {
    const dir = project('throws', { 'main.ts': "const cluster: string | undefined = undefined;\nif (!cluster) throw new Error('no cluster configured');\n" });
    const run = synth(dir, []);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('main.ts failed: no cluster configured (main.ts:2)\n');
    expectNoStackTrace(run);
  });

  it('an app that throws later (a timer): exit 1, its message, no stack', () => {
    const dir = project('throws-later', { 'main.ts': "setTimeout(() => {\n  throw new Error('cluster unreachable');\n}, 10);\n" });
    const run = synth(dir, []);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('main.ts failed: cluster unreachable (main.ts:2)\n');
    expectNoStackTrace(run);
  });

  it('an app that does not compile: exit 1, where and why', () => {
    const dir = project('syntax', { 'main.ts': 'const x = ;\n' });
    const run = synth(dir, []);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('main.ts failed: Transform failed with 1 error:');
    expect(run.stderr).toContain('main.ts:1:10: ERROR: Unexpected ";"');
    expectNoStackTrace(run);
  });

  it('an app that never publishes: exit 1, and how to fix it', () => {
    const dir = project('silent', { 'main.ts': "console.log('built nothing');\n" });
    const run = synth(dir, []);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('main.ts ran but published nothing: end it with runSynth(build), as `agent-platform-cdk8s init` writes it\n');
  });

  it('runs an ES module app (package.json "type": "module") the same way', () => {
    const src = (path: string) => JSON.stringify(join(REPO_ROOT, 'src', `${path}.ts`));
    const dir = project('esm', {
      'package.json': '{ "type": "module" }\n',
      'main.ts': [
        "import { App } from 'cdk8s';",
        `import { TalosNamespace } from ${src('namespaces/talos-namespace')};`,
        `import { PlatformChart } from ${src('core/platform-chart')};`,
        `import { runSynth } from ${src('synth/synthesize')};`,
        "runSynth(() => { const app = new App(); new TalosNamespace(new PlatformChart(app, 'n', { folder: 'namespaces' }), 'ns', { name: 'esm' }); return app; });",
        '',
      ].join('\n'),
    });
    // The app imports cdk8s by name, as from its own node_modules.
    symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const run = synth(dir, []);
    expect(run.status, run.stderr).toBe(0);
    expect([...readTree(join(dir, 'dist')).keys()]).toEqual(['namespaces/namespace-esm.yaml']);
  });
});

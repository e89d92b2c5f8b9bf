/** `init`: a new app that is the README's example, and never a file overwritten. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, expectNoStackTrace, runCli } from './run-cli';

const work = mkdtempSync(join(tmpdir(), 'cli-init-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const EXAMPLE = join(REPO_ROOT, 'examples', 'library');
const APP_FILES = ['.gitignore', 'cdk8s.yaml', 'main.ts', 'package.json', 'prompts', 'tsconfig.json'];

describe.concurrent('agent-platform-cdk8s init', () => {
  it('writes the README example as a working app: main.ts, its prompt, a safe cdk8s.yaml, tsconfig, package.json, .gitignore', () => {
    const run = runCli(['init', 'my-lab'], work);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'created in my-lab/: main.ts, prompts/writer.md, cdk8s.yaml, tsconfig.json, package.json, .gitignore\nnext: cd my-lab && npx agent-platform-cdk8s synth\n',
    );
    const app = join(work, 'my-lab');
    expect(readdirSync(app).sort()).toEqual(APP_FILES);

    const main = readFileSync(join(app, 'main.ts'), 'utf8');
    expect(main).toBe(readFileSync(join(EXAMPLE, 'main.ts'), 'utf8'));
    expect(main).toContain("promptFile('prompts/writer.md')");
    expect(readFileSync(join(app, 'prompts', 'writer.md'), 'utf8')).toMatch(/^You write short, accurate release notes\./);

    const config = yaml.load(readFileSync(join(app, 'cdk8s.yaml'), 'utf8'));
    expect(config).toEqual({ language: 'typescript', app: 'npx tsx main.ts', output: '.cdk8s-staging' });
    expect(JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')).compilerOptions).toMatchObject({ strict: true, module: 'nodenext' });
    expect(JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'))).toEqual({
      name: 'my-lab',
      version: '0.1.0',
      private: true,
      description: 'An agent platform, synthesized for Argo CD by agent-platform-cdk8s',
      scripts: { synth: 'agent-platform-cdk8s synth', validate: 'agent-platform-cdk8s validate dist' },
    });
    const ignored = readFileSync(join(app, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.cdk8s-staging', 'node_modules/', 'dist.next-*/', 'dist.previous-*/']));
    expect(ignored).not.toContain('dist/');
  });

  it('refuses to overwrite: exit 1, the files named, nothing written', () => {
    const app = join(work, 'half-done');
    mkdirSync(app);
    writeFileSync(join(app, 'main.ts'), '// mine\n');
    writeFileSync(join(app, 'package.json'), '{}\n');
    const run = runCli(['init'], app);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('init: main.ts, package.json already exist; nothing was written. Use a new folder: `agent-platform-cdk8s init my-lab`\n');
    expectNoStackTrace(run);
    expect(readdirSync(app).sort()).toEqual(['main.ts', 'package.json']);
    expect(readFileSync(join(app, 'main.ts'), 'utf8')).toBe('// mine\n');
  });

  it('twice into one folder: the second run changes nothing', () => {
    expect(runCli(['init', 'again'], work).status).toBe(0);
    writeFileSync(join(work, 'again', 'main.ts'), '// edited\n');
    const run = runCli(['init', 'again'], work);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('again/main.ts, again/prompts/writer.md, again/cdk8s.yaml');
    expect(readFileSync(join(work, 'again', 'main.ts'), 'utf8')).toBe('// edited\n');
  });
});

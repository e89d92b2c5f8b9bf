import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PACKAGE_ROOT } from '../core/paths';
import { EXIT, failure } from './cli-error';
import { parseCommandArgs, type Command } from './command';
import { shownPath } from './shown-path';

/** The README's library example, shipped with the package: a new app starts as exactly what the tests run. */
const EXAMPLE_DIR = join(PACKAGE_ROOT, 'examples', 'library');
const COPIED = ['main.ts', 'prompts/writer.md', 'cdk8s.yaml', 'tsconfig.json'];

const GITIGNORE = [
  "# cdk8s synth's output: a staging copy (the app publishes dist/ itself, and dist/ is what Argo CD reads: commit it)",
  '.cdk8s-staging',
  'node_modules/',
  // A killed synth may leave these beside dist/; the next one removes them.
  'dist.next-*/',
  'dist.previous-*/',
  '*.tsbuildinfo',
  '',
].join('\n');

export const initCommand: Command = {
  async run(args) {
    const { positionals } = parseCommandArgs('init', args, {}, 1);
    const dir = resolve(positionals[0] ?? '.');
    const files = appFiles(dir);
    const taken = Object.keys(files).filter((path) => existsSync(join(dir, path)));
    if (taken.length > 0) {
      throw failure(
        `init: ${taken.map((path) => shownPath(join(dir, path))).join(', ')} already exist${taken.length === 1 ? 's' : ''}; nothing was written. Use a new folder: \`agent-platform-cdk8s init my-lab\``,
      );
    }
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content, { flag: 'wx' });
    }
    const here = shownPath(dir);
    const cd = here === '.' ? '' : `cd ${here} && `;
    process.stdout.write(`created in ${here}/: ${Object.keys(files).join(', ')}\nnext: ${cd}npx agent-platform-cdk8s synth\n`);
    return EXIT.ok;
  },
};

/** Path in the new app → content. */
function appFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of COPIED) files[path] = readFileSync(join(EXAMPLE_DIR, path), 'utf8');
  files['package.json'] = `${JSON.stringify(packageJson(dir), null, 2)}\n`;
  files['.gitignore'] = GITIGNORE;
  return files;
}

/**
 * The app's manifest: its scripts run this CLI. It lists no dependencies: the packages come from the project
 * the library was installed into (Node and npm look in every node_modules above the app), and tsx, which runs
 * main.ts, is a dependency of agent-platform-cdk8s itself.
 */
function packageJson(dir: string): object {
  return {
    name: packageName(basename(dir)),
    version: '0.1.0',
    private: true,
    description: 'An agent platform, synthesized for Argo CD by agent-platform-cdk8s',
    scripts: { synth: 'agent-platform-cdk8s synth', validate: 'agent-platform-cdk8s validate dist' },
  };
}

/** The folder's name as an npm package name. */
function packageName(folder: string): string {
  return (
    folder
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[._-]+|-+$/g, '') || 'agent-platform'
  );
}

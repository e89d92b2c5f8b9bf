import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { checkTree } from '../synth/publish';
import type { RenderedFile } from '../synth/render-tree';
import type { KubeObject } from '../validation/manifest-validator';
import { EXIT, usageError } from './cli-error';
import { parseCommandArgs, type Command } from './command';
import { counted, shownPath } from './shown-path';

export const validateCommand: Command = {
  async run(args) {
    const { positionals } = parseCommandArgs('validate', args, {}, 1);
    const dir = resolve(positionals[0] ?? 'dist');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`validate: ${positionals[0] ?? 'dist'} is not a folder`);
    const shown = `${shownPath(dir)}/`;
    const { files, problems } = readTree(dir);
    problems.push(...checkTree(files));
    if (problems.length > 0) {
      process.stderr.write(`${problems.length} problem(s) in ${shown}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
      return EXIT.failed;
    }
    const objects = files.reduce((n, f) => n + f.objects.length, 0);
    process.stdout.write(`validated ${counted(objects, 'object')} in ${counted(files.length, 'file')} under ${shown}: no problems\n`);
    return EXIT.ok;
  },
};

/** Every manifest under `dir` (bootstrap/ holds patches for `kubectl patch`, not objects), and the files that do not parse. */
function readTree(dir: string): { files: RenderedFile[]; problems: string[] } {
  const problems: string[] = [];
  const files = manifests(dir)
    .map((path) => relative(dir, path))
    .filter((path) => !path.startsWith('bootstrap/'))
    .sort()
    .flatMap((path): RenderedFile[] => {
      const content = readFileSync(join(dir, path), 'utf8');
      try {
        return [{ path, content, objects: yaml.loadAll(content).filter(Boolean) as KubeObject[] }];
      } catch (error) {
        problems.push(`dist/${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
        return [];
      }
    });
  return { files, problems };
}

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? manifests(path) : path.endsWith('.yaml') ? [path] : [];
  });
}

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkTree } from '../synth/publish';
import { readPublishedTree } from '../synth/published-tree';
import { EXIT, usageError } from './cli-error';
import { parseCommandArgs, type Command } from './command';
import { counted, shownPath } from './shown-path';

export const validateCommand: Command = {
  async run(args) {
    const { positionals } = parseCommandArgs('validate', args, {}, 1);
    const dir = resolve(positionals[0] ?? 'dist');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw usageError(`validate: ${positionals[0] ?? 'dist'} is not a folder`);
    const shown = `${shownPath(dir)}/`;
    const { files, problems } = readPublishedTree(dir);
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

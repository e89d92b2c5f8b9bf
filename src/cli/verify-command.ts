import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ToolchainUnavailableError } from '../verify/toolchain';
import { verifyTree, type VerifyReport } from '../verify/verify-tree';
import { EXIT, usageError } from './cli-error';
import { parseCommandArgs, type Command } from './command';
import { counted, shownPath } from './shown-path';

export const verifyCommand: Command = {
  async run(args) {
    const { positionals } = parseCommandArgs('verify', args, {}, 1);
    const distDir = resolve(positionals[0] ?? 'dist');
    if (!existsSync(distDir)) throw usageError(`verify: ${positionals[0] ?? 'dist'} is not a folder`);
    let result: VerifyReport;
    try {
      result = await verifyTree({ distDir, log: (line) => process.stderr.write(`${line}\n`) });
    } catch (error) {
      if (error instanceof ToolchainUnavailableError) throw usageError(error.message);
      throw error;
    }
    return report(result, `${shownPath(distDir)}/`);
  },
};

/** One line per object, the server's verdict (✓ accepted, with its warnings; ✗ refused, with its message), then the total. */
function report(result: VerifyReport, shown: string): number {
  if (result.unrenderedCharts.length > 0) process.stderr.write(`not rendered (verify has no chart sources): ${result.unrenderedCharts.join(', ')}\n`);
  for (const v of result.verdicts) {
    const id = `${v.kind} ${v.namespace ? `${v.namespace}/` : ''}${v.name}`;
    const detail = v.accepted ? v.warnings.map((w) => ` (warning: ${w})`).join('') : `: ${v.message ?? 'rejected'}`;
    process.stdout.write(`${v.accepted ? '✓' : '✗'} ${v.source}: ${id}${detail}\n`);
  }
  const rejected = result.verdicts.filter((v) => !v.accepted);
  const total = `${counted(result.verdicts.length, 'object')} of ${shown} against kube-apiserver ${result.kubernetesVersion}`;
  if (rejected.length > 0) {
    process.stderr.write(`${rejected.length} of ${total} rejected\n`);
    return EXIT.failed;
  }
  process.stdout.write(`verified ${total}: all accepted\n`);
  return EXIT.ok;
}

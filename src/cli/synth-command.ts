import type { PublishSummary } from '../synth/publish';
import { appEntry } from './app-entry';
import { EXIT, failure } from './cli-error';
import { parseCommandArgs, type Command } from './command';
import { loadApp } from './load-app';
import { counted, shownPath } from './shown-path';
import { beginSynthSession } from '../synth/synth-session';

export const synthCommand: Command = {
  async run(args) {
    const { values } = parseCommandArgs('synth', args, { app: { type: 'string' }, out: { type: 'string' } }, 0);
    const file = appEntry(values.app);
    const started = process.hrtime.bigint();
    const session = beginSynthSession(values.out ?? 'dist');
    process.exitCode = undefined;
    reportStrayErrors(file);
    try {
      await loadApp(file);
    } catch (error) {
      throw failure(`${shownPath(file)} failed: ${messageWithPlace(error, file)}`);
    }
    // runSynth has printed why (with the construct path) and left the published tree as it was.
    if (process.exitCode) return EXIT.failed;
    if (session.published.length === 0) {
      throw failure(`${shownPath(file)} ran but published nothing: end it with runSynth(build), as \`agent-platform-cdk8s init\` writes it`);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    for (const summary of session.published) process.stdout.write(`${summaryLine(summary)} in ${seconds.toFixed(1)}s\n`);
    return EXIT.ok;
  },
};

/** An error the app throws later (a timer, a promise nobody awaits) is reported like one thrown at once. */
function reportStrayErrors(file: string): void {
  const report = (error: unknown) => {
    process.stderr.write(`${shownPath(file)} failed: ${messageWithPlace(error, file)}\n`);
    process.exit(EXIT.failed);
  };
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
}

/** `dist/: 12 files, 3 written (2 new, 1 changed), 9 unchanged, 1 removed`. */
function summaryLine(summary: PublishSummary): string {
  const written = summary.added + summary.changed;
  return `${shownPath(summary.distDir)}/: ${counted(summary.files, 'file')}, ${written} written (${summary.added} new, ${summary.changed} changed), ${summary.unchanged} unchanged, ${summary.removed} removed`;
}

/** The error's message and, instead of its stack, the line of the app it was thrown from. */
function messageWithPlace(error: unknown, file: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const frame = error instanceof Error ? error.stack?.split('\n').find((line) => line.includes(file)) : undefined;
  const place = frame ? /(\d+):(\d+)\)?\s*$/.exec(frame) : null;
  return place && !message.includes(file) ? `${message} (${shownPath(file)}:${place[1]})` : message;
}

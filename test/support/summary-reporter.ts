import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, for CI systems that read it. A test
 * file that could not run (a syntax error, a failing import) has no tests to count, so it is counted as a
 * failure and named, as is an error outside any test: the line never reads "0 failed" for a broken run.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const broken: string[] = [];
    for (const module of testModules) {
      if (module.errors().length > 0) broken.push(module.relativeModuleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
    }
    failed += broken.length + unhandledErrors.length;
    const why = [...broken.map((file) => `${file} did not run`), ...(unhandledErrors.length > 0 ? [`${unhandledErrors.length} error(s) outside tests`] : [])];
    process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped${why.length > 0 ? ` (${why.join('; ')})` : ''}\n`);
  }
}

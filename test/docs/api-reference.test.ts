import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, readTree } from '../support/platform';

const work = mkdtempSync(join(tmpdir(), 'api-docs-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('API reference (docs/api, generated from the JSDoc by typedoc)', () => {
  it('matches the public API (run `npm run docs` and commit if this fails)', () => {
    execFileSync(process.execPath, [join(REPO_ROOT, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', work], { cwd: REPO_ROOT, stdio: 'pipe' });
    const generated = readTree(work);
    expect([...readTree(join(REPO_ROOT, 'docs', 'api')).keys()]).toEqual([...generated.keys()]);
    for (const [path, content] of generated) expect(readTree(join(REPO_ROOT, 'docs', 'api')).get(path), `docs/api/${path} is stale`).toBe(content);
    expect(generated.get('README.md')).toContain('### AgentPlatform');
  }, 120_000);
});

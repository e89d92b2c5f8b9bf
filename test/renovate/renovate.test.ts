import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSIONS } from '../../src/core/versions';
import { REPO_ROOT } from '../support/platform';

/** The files Renovate reads here: its config and the one file its managers match. */
const FILES = ['renovate.json', 'src/core/versions.ts'];
const RENOVATE = join(REPO_ROOT, 'node_modules', 'renovate', 'dist');
/** Every request Renovate might make goes to the discard port of loopback, where nothing listens: it runs offline. */
const NOWHERE = 'http://127.0.0.1:9';

interface LogRecord {
  readonly level: number;
  readonly msg: string;
  readonly packageFiles?: Record<string, Array<{ deps: ExtractedDep[] }>>;
}
interface ExtractedDep {
  readonly depName: string;
  readonly currentValue: string;
  readonly datasource: string;
  readonly replaceString: string;
}

/** Runs a Renovate CLI in `cwd` with nothing of this machine's environment but PATH, logging JSON lines. */
function renovate(script: string, args: string[], cwd: string, baseDir: string): LogRecord[] {
  const env = {
    PATH: process.env.PATH,
    HOME: baseDir,
    RENOVATE_BASE_DIR: baseDir,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'debug',
    HTTP_PROXY: NOWHERE,
    HTTPS_PROXY: NOWHERE,
    GIT_CONFIG_NOSYSTEM: '1',
  };
  const out = execFileSync(process.execPath, [join(RENOVATE, script), ...args], { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogRecord);
}

/** Every string of VERSIONS with where it sits, e.g. `images.ollama`: the pins Renovate must find. */
function pins(value: unknown = VERSIONS, path = ''): Array<{ path: string; pin: string }> {
  if (typeof value === 'string') return [{ path, pin: value }];
  return Object.entries(value as object).flatMap(([key, inner]) => pins(inner, path ? `${path}.${key}` : key));
}

describe('renovate.json (Renovate 39, its real extraction, offline)', () => {
  const work = mkdtempSync(join(tmpdir(), 'renovate-'));
  const repo = join(work, 'repo');
  let log: LogRecord[] = [];
  let deps: ExtractedDep[] = [];

  beforeAll(() => {
    for (const file of FILES) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      cpSync(join(REPO_ROOT, file), join(repo, file));
    }
    // The local platform lists a repository's files with git: staging them is enough.
    execFileSync('git', ['init', '--quiet', '.'], { cwd: repo });
    execFileSync('git', ['add', '--all'], { cwd: repo });
    log = renovate('renovate.js', ['--platform=local', '--dry-run=extract'], repo, join(work, 'base'));
    deps = (log.find((r) => r.msg === 'Extracted dependencies')?.packageFiles?.regex ?? []).flatMap((file) => file.deps);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is valid, needs no migration, and the run warns of nothing', () => {
    const validation = renovate('config-validator.js', ['--strict', 'renovate.json'], repo, join(work, 'validator'));
    expect(validation.map((r) => r.msg)).toContain('Config validated successfully');
    expect(log.filter((r) => r.level >= 40).map((r) => r.msg)).toEqual([]);
  });

  it('matches like the hosted Renovate: with the RE2 engine (no lookarounds, no backreferences)', () => {
    expect(log.map((r) => r.msg)).toContain('Using RE2 regex engine');
  });

  it('finds every pin of src/core/versions.ts, each once', () => {
    const expected = pins();
    expect(expected.length).toBe(10);
    for (const { path, pin } of expected) {
      expect(
        deps.filter((d) => d.replaceString.includes(`'${pin}'`)),
        `VERSIONS.${path} = '${pin}'`,
      ).toHaveLength(1);
    }
    expect(deps).toHaveLength(expected.length);
  });

  it('looks each pin up where it is published: images and OCI charts by their registry paths', () => {
    const found = Object.fromEntries(deps.map((d) => [`${d.depName}:${d.currentValue}`, d.datasource]));
    const images = Object.values(VERSIONS.images).map((image) => [image, 'docker']);
    expect(found).toEqual(
      Object.fromEntries([
        ...images,
        [`ghcr.io/kagent-dev/kagent/helm/kagent:${VERSIONS.kagent}`, 'docker'],
        [`ghcr.io/stacklok/toolhive/toolhive-operator:${VERSIONS.toolhive}`, 'docker'],
      ]),
    );
  });
});

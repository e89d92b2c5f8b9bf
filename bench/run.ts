/**
 * `npm run bench`: synthesis against the floor of loading cdk8s, synthesis at swarm scale, the bridge's added
 * latency and concurrency, and the test suite's wall time. Medians of interleaved runs; exits non-zero when a
 * target is missed. Set BENCH_ROUNDS to change the number of runs, BENCH_SKIP_TESTS=1 to skip the test timing,
 * BENCH_ONLY=bridge or BENCH_ONLY=synth to run only that part. The whole table is also written to bench/results.json (one
 * record per metric: metric, median, min, max, unit, target, pass).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { SYNTH_EXTERNALS, bundleCached, listSources } from '../src/core/build-cache.cjs';
import { benchBridge, type ConcurrentRun } from './bridge-bench';
import { interleave, summarize, timeCommand, type Sample, type Summary } from './stats';

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
/**
 * The synth benches write their trees inside the project, where a project's dist/ is, not in the system's
 * temporary folder: the test suite and other programs create and delete thousands of files there, and on
 * ext4 without a journal (this machine's disk) a new file skips, one by one, every inode freed in the last
 * minutes near its folder, which made creating a cold tree beside freshly deleted ones 2–10× slower.
 */
const work = mkdtempSync(join(ROOT, '.bench-'));

interface Row {
  readonly metric: string;
  readonly summary?: Summary;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean;
  /** The unit of `summary` or `measured`. @default 'ms' with a summary, else '' */
  readonly unit?: string;
  /** A single measured number, for rows without a summary. */
  readonly measured?: number;
}
const rows: Row[] = [];
const fmt = (ms: number) => `${ms.toFixed(Math.abs(ms) < 10 ? 2 : 0)} ms`;
/** A difference, with its sign. */
const signed = (ms: number) => `${ms < 0 ? '−' : '+'}${fmt(Math.abs(ms))}`;

function synthesis(): void {
  const env = (name: string) => ({ ...process.env, HOMELAB_DIST: join(work, name, 'dist'), CDK8S_OUTDIR: join(work, name, 'staging') });
  const floor = () => timeCommand(process.execPath, ['-e', "require('cdk8s'); require('cdk8s-plus-29')"], { cwd: ROOT });
  const app = () => timeCommand(process.execPath, ['scripts/synth.cjs'], { cwd: ROOT, env: env('app') });
  const tsx = () => timeCommand(process.execPath, ['--import', 'tsx', '-e', "require('./app/main').main()"], { cwd: ROOT, env: env('tsx') });
  const [f, a, t] = interleave([floor, app, tsx], ROUNDS).map((s) => summarize(s.map((x) => x.ms)));
  rows.push({ metric: 'floor: node -e require(cdk8s, cdk8s-plus-29)', summary: f, value: '1.00×', target: '-', ok: true });
  rows.push({
    metric: 'synth app (node scripts/synth.cjs, reference platform)',
    summary: a,
    value: `${(a.median / f.median).toFixed(2)}× floor`,
    target: '≤ 2× floor',
    ok: a.median <= 2 * f.median,
  });
  rows.push({ metric: 'for comparison: tsx app/main.ts', summary: t, value: `${(t.median / f.median).toFixed(2)}× floor`, target: '-', ok: true });
}

/** Node arguments that run a bundled bench app the way scripts/synth.cjs runs the platform: with a V8 code cache. */
function launch(bundle: string): string[] {
  const cache = join(ROOT, 'src', 'core', 'build-cache.cjs');
  return [
    '-e',
    `process.env.AGENT_PLATFORM_ROOT=${JSON.stringify(ROOT)}; require(${JSON.stringify(cache)}).requireWithCodeCache(${JSON.stringify(bundle)}).main()`,
  ];
}

let coldRuns = 0;

/**
 * A folder no run has used: a cold synth writes into an empty place, as on a fresh clone. The trees are deleted
 * only when the bench ends: deleting ~12,000 files right before a run made that run's file creation 2–20×
 * slower (see `work`), which measured the deletion, not the synth.
 */
function coldDist(name: string): string {
  return join(work, `${name}-cold-${coldRuns++}`, 'dist');
}

/** A bench app bundled once, like scripts/synth.cjs bundles the platform, so the runs measure synthesis. */
function benchBundle(app: string, name: string): string {
  const sources = listSources(...['src', 'imports', 'bench'].map((dir) => join(ROOT, dir)));
  return bundleCached({ entry: join(ROOT, 'bench', app), name, sources, external: SYNTH_EXTERNALS });
}

/** The highest peak RSS the runs reported (each prints its own on stderr), in MiB. */
function peakMiB(samples: readonly Sample[]): number {
  return Math.max(...samples.map((s) => Number(/maxRSS_KB=(\d+)/.exec(s.stderr)?.[1] ?? NaN))) / 1024;
}

function fleet(): void {
  const bundle = benchBundle('fleet-app.ts', 'fleet');
  const run =
    (clusters: number, cold = false) =>
    () => {
      const dist = cold ? coldDist(`fleet-${clusters}`) : join(work, `fleet-${clusters}`, 'dist');
      return timeCommand(process.execPath, launch(bundle), {
        cwd: ROOT,
        env: { ...process.env, FLEET_CLUSTERS: String(clusters), FLEET_TEAMS: '5', FLEET_AGENTS: '20', AGENT_PLATFORM_DIST: dist },
      });
    };
  const [one, ten, cold] = interleave([run(1), run(10), run(10, true)], Math.max(3, Math.ceil(ROUNDS / 2)));
  const o = summarize(one.map((x) => x.ms));
  const t = summarize(ten.map((x) => x.ms));
  const c = summarize(cold.map((x) => x.ms));
  rows.push({ metric: `fleet 1 cluster × 5 teams × 20 agents (peak ${peakMiB(one).toFixed(0)} MiB)`, summary: o, value: fmt(o.median), target: '-', ok: true });
  rows.push({
    metric: `fleet 10 clusters × 5 teams × 20 agents, re-synth (peak ${peakMiB(ten).toFixed(0)} MiB)`,
    summary: t,
    value: fmt(t.median),
    target: '< 3000 ms',
    ok: t.median < 3000,
  });
  rows.push({ metric: 'fleet 10 × 5 × 20, cold (empty dist/)', summary: c, value: fmt(c.median), target: '< 5000 ms', ok: c.median < 5000 });
  rows.push({ metric: 'fleet growth t(10 clusters) / t(1 cluster)', value: (t.median / o.median).toFixed(2), target: '≤ 10', ok: t.median / o.median <= 10 });
}

/** How many files a published tree has, and their mean size in bytes. */
interface TreeShape {
  readonly files: number;
  readonly meanBytes: number;
}

function treeShape(dir: string): TreeShape {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  const bytes = files.reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
  return { files: files.length, meanBytes: Math.round(bytes / files.length) };
}

/**
 * The disk's part of a cold synth of `tree`, for reading that row: as many files of its mean size, created in
 * an empty folder by a process that does nothing else. It moves with the disk's state, by 5× and more on this
 * shared machine, and the cold synth moves with it.
 */
function createFiles(tree: TreeShape): Sample {
  const script =
    "const fs = require('fs'); const [dir, count, size] = process.argv.slice(1); fs.mkdirSync(dir, { recursive: true }); const bytes = Buffer.alloc(Number(size), 97); for (let i = 0; i < Number(count); i++) fs.writeFileSync(`${dir}/file-${i}.yaml`, bytes);";
  return timeCommand(process.execPath, ['-e', script, coldDist('files'), String(tree.files), String(tree.meanBytes)]);
}

function scale(): void {
  const bundle = benchBundle('swarm-app.ts', 'swarm');
  // Warm: re-synthesis over an existing dist/ (the everyday case). Cold: into an empty folder every time, with the
  // project's caches as a previous synth left them. Fresh: a first synth on a fresh clone, caches empty too (the
  // schema validators are compiled, every object is validated and rendered).
  const run =
    (agents: number, servers: number, mode: 'warm' | 'cold' | 'fresh' = 'warm') =>
    () => {
      const dist = mode === 'warm' ? join(work, `swarm-${agents}`, 'dist') : coldDist(`swarm-${agents}`);
      const cache = mode === 'fresh' ? { AGENT_PLATFORM_CACHE: join(dirname(dist), 'cache') } : {};
      return timeCommand(process.execPath, launch(bundle), {
        cwd: ROOT,
        env: { ...process.env, SWARM_AGENTS: String(agents), SWARM_SERVERS: String(servers), AGENT_PLATFORM_DIST: dist, ...cache },
      });
    };
  // The tree the 10,000-agent re-synth published (its first, untimed run comes before the first disk floor).
  let hugeTree: TreeShape | undefined;
  const diskFloor = () => createFiles((hugeTree ??= treeShape(join(work, 'swarm-10000', 'dist'))));
  const [small, large, cold, huge, hugeCold, hugeFresh, files] = interleave(
    [run(100, 10), run(1000, 100), run(1000, 100, 'cold'), run(10_000, 1000), run(10_000, 1000, 'cold'), run(10_000, 1000, 'fresh'), diskFloor],
    Math.max(3, Math.ceil(ROUNDS / 2)),
  );
  const s = summarize(small.map((x) => x.ms));
  const l = summarize(large.map((x) => x.ms));
  const c = summarize(cold.map((x) => x.ms));
  rows.push({ metric: `swarm 100 agents / 10 MCP servers (peak ${peakMiB(small).toFixed(0)} MiB)`, summary: s, value: fmt(s.median), target: '-', ok: true });
  rows.push({
    metric: `swarm 1000 agents / 100 MCP servers (peak ${peakMiB(large).toFixed(0)} MiB)`,
    summary: l,
    value: fmt(l.median),
    target: '< 3000 ms',
    ok: l.median < 3000,
  });
  rows.push({ metric: 'swarm 1000 / 100, cold (empty dist/)', summary: c, value: fmt(c.median), target: '< 3000 ms', ok: c.median < 3000 });
  rows.push({ metric: 'growth t(1000) / t(100)', value: `${(l.median / s.median).toFixed(2)}`, target: '≤ 12', ok: l.median / s.median <= 12 });
  const h = summarize(huge.map((x) => x.ms));
  const hc = summarize(hugeCold.map((x) => x.ms));
  rows.push({
    metric: `swarm 10000 agents / 1000 MCP servers, re-synth (peak ${peakMiB(huge).toFixed(0)} MiB)`,
    summary: h,
    value: fmt(h.median),
    target: '-',
    ok: true,
  });
  rows.push({ metric: 'swarm 10000 / 1000, cold (empty dist/)', summary: hc, value: fmt(hc.median), target: '-', ok: true });
  const fl = summarize(files.map((x) => x.ms));
  rows.push({
    metric: `  disk floor: ${hugeTree!.files} files of ${hugeTree!.meanBytes} bytes created in an empty folder`,
    summary: fl,
    value: fmt(fl.median),
    target: '-',
    ok: true,
  });
  const hf = summarize(hugeFresh.map((x) => x.ms));
  rows.push({ metric: 'swarm 10000 / 1000, first synth on a fresh clone (empty dist/ and caches)', summary: hf, value: fmt(hf.median), target: '-', ok: true });
  rows.push({ metric: 'growth t(10000) / t(1000)', value: `${(h.median / l.median).toFixed(2)}`, target: '≤ 12', ok: h.median / l.median <= 12 });
}

async function bridge(): Promise<void> {
  const r = await benchBridge();
  rows.push({
    metric: `A2A direct (node:http): time to first token, ${r.ttftSamples} samples`,
    summary: r.directTtft,
    value: `p99 ${fmt(r.directTtft.p99)}`,
    target: '-',
    ok: true,
  });
  rows.push({ metric: 'via bridge (node:http): time to first token', summary: r.bridgeTtft, value: `p99 ${fmt(r.bridgeTtft.p99)}`, target: '-', ok: true });
  rows.push({
    metric: 'bridge overhead, time to first token (median)',
    measured: r.addedTtft.median,
    unit: 'ms',
    value: signed(r.addedTtft.median),
    target: '≤ +1 ms',
    ok: r.addedTtft.median <= 1,
  });
  rows.push({
    metric: 'bridge overhead, time to first token (p99)',
    measured: r.addedTtft.p99,
    unit: 'ms',
    value: signed(r.addedTtft.p99),
    target: '-',
    ok: true,
  });
  rows.push({
    metric: '  for information: median of per-round differences (bridge − direct)',
    measured: r.pairedAddedTtft.median,
    unit: 'ms',
    value: signed(r.pairedAddedTtft.median),
    target: '-',
    ok: true,
  });
  rows.push({ metric: 'via bridge (openai client): time to first token', summary: r.openaiTtft, value: `p99 ${fmt(r.openaiTtft.p99)}`, target: '-', ok: true });
  const concurrent = (client: string, c: ConcurrentRun) => {
    rows.push({
      metric: `${c.streams} concurrent streams, ${client} (${fmt(c.ms)} total)`,
      measured: c.errors + c.wrong,
      unit: 'failed streams',
      value: `${c.errors} errors, ${c.wrong} wrong`,
      target: '0 errors, exact',
      ok: c.errors === 0 && c.wrong === 0,
    });
    rows.push({
      metric: `  open at once, ${client}`,
      measured: c.peakOpen,
      unit: 'streams',
      value: String(c.peakOpen),
      target: `${c.streams}`,
      ok: c.peakOpen >= c.streams,
    });
    rows.push({
      metric: `  bridge RSS per open stream, ${client}`,
      measured: c.kbPerOpenStream,
      unit: 'KiB',
      value: `${c.kbPerOpenStream.toFixed(1)} KiB`,
      target: '≤ 128 KiB',
      ok: c.kbPerOpenStream <= 128,
    });
  };
  concurrent('node:http', r.http);
  concurrent('openai', r.openai);
}

function tests(): void {
  if (process.env.BENCH_SKIP_TESTS === '1') return;
  const sample = timeCommand(process.execPath, [join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: ROOT, env: { ...process.env, CI: 'true' } });
  rows.push({ metric: 'npm test (vitest run)', value: fmt(sample.ms), target: '< 60000 ms', ok: sample.ms < 60_000 });
}

/** The whole table as JSON records, for tools and for comparing runs. */
function writeResults(): void {
  const records = rows.map((r) => ({
    metric: r.metric.trim(),
    median: r.summary?.median ?? r.measured ?? null,
    min: r.summary?.min ?? r.measured ?? null,
    max: r.summary?.max ?? r.measured ?? null,
    ...(r.summary ? { p99: r.summary.p99 } : {}),
    unit: r.unit ?? (r.summary ? 'ms' : ''),
    target: r.target,
    pass: r.ok,
  }));
  const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'cpu', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, rounds: ROUNDS };
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ machine, results: records }, null, 2)}\n`);
}

function printTable(): void {
  const header = ['metric', 'median', 'min', 'max', 'result', 'target', ''];
  const lines = rows.map((r) => [
    r.metric,
    r.summary ? fmt(r.summary.median) : '',
    r.summary ? fmt(r.summary.min) : '',
    r.summary ? fmt(r.summary.max) : '',
    r.value,
    r.target,
    r.ok ? 'ok' : 'MISSED',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `\nmachine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}; ${ROUNDS} rounds\n`,
  );
  console.log([row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n'));
}

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  const only = process.env.BENCH_ONLY;
  if (only !== undefined && only !== 'bridge' && only !== 'synth') throw new Error(`BENCH_ONLY must be "bridge", "synth" or unset, got "${only}"`);
  try {
    if (only !== 'bridge') {
      synthesis();
      scale();
      fleet();
    }
    if (only !== 'synth') await bridge();
    if (!only) tests();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  printTable();
  writeResults();
  const missed = rows.filter((r) => !r.ok);
  if (missed.length > 0) {
    console.error(`\n${missed.length} target(s) missed: ${missed.map((r) => r.metric).join('; ')}`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

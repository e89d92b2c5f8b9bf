/**
 * Regenerates the committed CRD bindings (`imports/`), the offline schemas (`schemas/`) and the upstream chart
 * values (`charts/`).
 *
 * CRDs are read from CRD_DIR (default ../shared/crds), charts from CHART_DIR (default ../shared/charts); core
 * Kubernetes schemas are derived from the model metadata of the pinned @kubernetes/client-node devDependency.
 * Each supported kagent version gets its own schema set (`schemas/kagent/<version>/`); the kagent bindings are
 * generated once, from the newest. Run with `npm run import`; the output is byte-reproducible.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { CHART_SOURCES, CORE_KINDS, CRD_SOURCES, KAGENT_CRD_SOURCES, type CrdSource } from './crd-sources';
import { buildCoreSchemas } from './core-schemas';

const root = resolve(__dirname, '..');
const crdDir = resolve(process.env.CRD_DIR ?? join(root, '..', 'shared', 'crds'));
const chartDir = resolve(process.env.CHART_DIR ?? join(root, '..', 'shared', 'charts'));
const importsDir = join(root, 'imports');
const schemaDir = join(root, 'schemas');
const chartsOut = join(root, 'charts');

interface Crd {
  spec: { group: string; names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: unknown } }> };
}

function loadCrd(file: string, version: string): Crd {
  const crd = yaml.load(readFileSync(join(crdDir, file), 'utf8')) as Crd;
  const versions = crd.spec.versions.filter((v) => v.name === version);
  if (versions.length !== 1) throw new Error(`${file}: version ${version} not found`);
  return { ...crd, spec: { ...crd.spec, versions } };
}

/** Writes each CRD's `openAPIV3Schema` to `<outDir>/<group>_<version>_<Kind>.json`. */
function writeSchemas(crds: readonly Crd[], source: CrdSource, outDir: string): void {
  mkdirSync(outDir, { recursive: true });
  for (const crd of crds) {
    const key = `${crd.spec.group}_${source.version}_${crd.spec.names.kind}`;
    writeFileSync(join(outDir, `${key}.json`), JSON.stringify(crd.spec.versions[0].schema.openAPIV3Schema) + '\n');
  }
}

/** Generates `imports/<group>.ts` with `cdk8s import`, from the CRDs whose kinds the library renders. */
function writeBindings(source: CrdSource, work: string): void {
  const file = join(importsDir, `${source.group}.ts`);
  rmSync(file, { force: true });
  if (!source.bindings?.length) return;
  const combined = join(work, `${source.group}.yaml`);
  writeFileSync(combined, source.bindings.map((f) => yaml.dump(loadCrd(f, source.version), { noRefs: true })).join('---\n'));
  execFileSync('npx', ['cdk8s', 'import', combined, '--output', importsDir, '--no-save', '--language', 'typescript'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
}

/** Copies the files the chart-values check reads: values, subcharts' values, template-read paths, Chart.yaml. */
function copyChart(chart: string, version: string): void {
  const from = join(chartDir, chart, version);
  const to = join(chartsOut, chart, version);
  const wanted = ['Chart.yaml', 'values.yaml', 'template-values.txt'];
  const copy = (dir: string) => {
    mkdirSync(join(to, dir), { recursive: true });
    for (const file of wanted) if (existsSync(join(from, dir, file))) copyFileSync(join(from, dir, file), join(to, dir, file));
  };
  if (!existsSync(join(from, 'values.yaml'))) throw new Error(`${from}: no values.yaml`);
  copy('.');
  const subcharts = join(from, 'subcharts');
  if (existsSync(subcharts)) for (const sub of readdirSync(subcharts).sort()) copy(join('subcharts', sub));
}

function main(): void {
  rmSync(schemaDir, { recursive: true, force: true });
  const work = mkdtempSync(join(tmpdir(), 'crd-import-'));
  try {
    for (const source of CRD_SOURCES) {
      const crds = source.files.map((file) => loadCrd(file, source.version));
      writeSchemas(crds, source, join(schemaDir, 'crds'));
      writeBindings(source, work);
    }
    Object.entries(KAGENT_CRD_SOURCES).forEach(([kagentVersion, source], index) => {
      const crds = source.files.map((file) => loadCrd(file, source.version));
      writeSchemas(crds, source, join(schemaDir, 'kagent', kagentVersion));
      if (index === 0) writeBindings(source, work);
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const modelsDir = join(root, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models');
  writeFileSync(join(schemaDir, 'k8s-core.json'), JSON.stringify(buildCoreSchemas(modelsDir, CORE_KINDS)) + '\n');

  rmSync(chartsOut, { recursive: true, force: true });
  for (const [chart, versions] of Object.entries(CHART_SOURCES)) for (const version of versions) copyChart(chart, version);
  copyFileSync(join(chartDir, 'SOURCE.md'), join(chartsOut, 'SOURCE.md'));
  console.log(`imports/, schemas/ and charts/ regenerated from ${crdDir} and ${chartDir}`);
}

main();

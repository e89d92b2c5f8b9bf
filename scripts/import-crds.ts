/**
 * Regenerates the committed CRD bindings (`imports/`) and the offline schemas (`schemas/`).
 *
 * CRDs are read from CRD_DIR (default ../shared/crds); core Kubernetes schemas are derived from the
 * model metadata of the pinned @kubernetes/client-node devDependency. Run with `npm run import`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { CRD_SOURCES, CORE_KINDS } from './crd-sources';
import { buildCoreSchemas } from './core-schemas';

const root = resolve(__dirname, '..');
const crdDir = resolve(process.env.CRD_DIR ?? join(root, '..', 'shared', 'crds'));
const importsDir = join(root, 'imports');
const schemaDir = join(root, 'schemas');

interface Crd {
  spec: { group: string; names: { kind: string }; versions: Array<{ name: string; schema: { openAPIV3Schema: unknown } }> };
}

function loadCrd(file: string, version: string): Crd {
  const crd = yaml.load(readFileSync(join(crdDir, file), 'utf8')) as Crd;
  const versions = crd.spec.versions.filter((v) => v.name === version);
  if (versions.length !== 1) throw new Error(`${file}: version ${version} not found`);
  return { ...crd, spec: { ...crd.spec, versions } };
}

function main(): void {
  rmSync(schemaDir, { recursive: true, force: true });
  mkdirSync(join(schemaDir, 'crds'), { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'crd-import-'));
  try {
    for (const source of CRD_SOURCES) {
      const crds = source.files.map((file) => loadCrd(file, source.version));
      for (const crd of crds) {
        const key = `${crd.spec.group}_${source.version}_${crd.spec.names.kind}`;
        const schema = crd.spec.versions[0].schema.openAPIV3Schema;
        writeFileSync(join(schemaDir, 'crds', `${key}.json`), JSON.stringify(schema) + '\n');
      }
      const combined = join(work, `${source.group}.yaml`);
      writeFileSync(combined, crds.map((c) => yaml.dump(c, { noRefs: true })).join('---\n'));
      execFileSync('npx', ['cdk8s', 'import', combined, '--output', importsDir, '--no-save', '--language', 'typescript'], {
        cwd: root,
        stdio: 'inherit',
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const modelsDir = join(root, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models');
  writeFileSync(join(schemaDir, 'k8s-core.json'), JSON.stringify(buildCoreSchemas(modelsDir, CORE_KINDS)) + '\n');
  console.log(`imports/ and schemas/ regenerated from ${crdDir}`);
}

main();

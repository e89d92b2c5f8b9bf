import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR } from '../core/paths';
import type { KubeObject } from './kube-client';

/**
 * CustomResourceDefinitions rebuilt from the schemas this package ships (`schemas/crds/`, `schemas/kagent/<v>/`,
 * each the verbatim `openAPIV3Schema` of the pinned CRD, CEL rules included), so `verify` can install every kind
 * the library renders without the charts: Argo CD's, Cilium's, ToolHive's and kagent's at the tree's version.
 */
export function schemaCrds(kagentVersion: string, schemaDir = SCHEMA_DIR): KubeObject[] {
  const dirs = [join(schemaDir, 'crds'), join(schemaDir, 'kagent', kagentVersion)];
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((file) => crdOf(file, JSON.parse(readFileSync(join(dir, file), 'utf8')))),
  );
}

/** `<group>_<version>_<Kind>.json` → a namespaced CRD serving that one version. */
function crdOf(file: string, schema: unknown): KubeObject {
  const [group, version, kind] = file.replace(/\.json$/, '').split('_');
  const plural = kind.toLowerCase().replace(/y$/, 'ie') + 's';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: schema }, subresources: { status: {} } }],
    },
  };
}

/**
 * Derives strict JSON Schemas for core Kubernetes kinds from the OpenAPI-generated model metadata
 * (`attributeTypeMap`) of @kubernetes/client-node. Every object type gets `additionalProperties: false`,
 * so an undeclared field is an error, as the API server would prune it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
  readonly format: string;
}

export interface CoreSchemas {
  /** `<apiVersion>/<Kind>` → definition name. */
  readonly kinds: Record<string, string>;
  readonly definitions: Record<string, unknown>;
}

function readAttributes(modelsDir: string, model: string): Attribute[] | undefined {
  const file = join(modelsDir, `${model}.js`);
  if (!existsSync(file)) return undefined;
  const match = /\.attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(readFileSync(file, 'utf8'));
  if (!match) throw new Error(`${file}: no attributeTypeMap`);
  return JSON.parse(match[1]) as Attribute[];
}

function typeSchema(type: string, format: string, refs: Set<string>): unknown {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1], format, refs) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { type: 'object', additionalProperties: typeSchema(map[1], format, refs) };
  switch (type) {
    case 'string':
    case 'Date':
      return { type: 'string' };
    case 'number':
      return format === 'double' ? { type: 'number' } : { type: 'integer' };
    case 'boolean':
      return { type: 'boolean' };
    case 'IntOrString':
      return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
    case 'any':
    case 'object':
      return {};
    default:
      refs.add(type);
      return { $ref: `#/definitions/${type}` };
  }
}

export function buildCoreSchemas(modelsDir: string, kinds: Readonly<Record<string, Readonly<Record<string, string>>>>): CoreSchemas {
  const kindMap: Record<string, string> = {};
  const pending = new Set<string>();
  for (const [apiVersion, byKind] of Object.entries(kinds)) {
    for (const [kind, model] of Object.entries(byKind)) {
      kindMap[`${apiVersion}/${kind}`] = model;
      pending.add(model);
    }
  }
  const definitions: Record<string, unknown> = {};
  while (pending.size > 0) {
    const [model] = pending;
    pending.delete(model);
    if (model in definitions) continue;
    const attributes = readAttributes(modelsDir, model);
    if (!attributes) throw new Error(`no model metadata for ${model}`);
    const refs = new Set<string>();
    const properties: Record<string, unknown> = {};
    for (const a of attributes) properties[a.baseName] = typeSchema(a.type, a.format, refs);
    definitions[model] = { type: 'object', properties, additionalProperties: false };
    for (const ref of refs) if (!(ref in definitions)) pending.add(ref);
  }
  const sorted = Object.fromEntries(Object.entries(definitions).sort(([a], [b]) => a.localeCompare(b)));
  return { kinds: kindMap, definitions: sorted };
}

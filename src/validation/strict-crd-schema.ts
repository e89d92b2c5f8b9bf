/**
 * Turns a CRD `openAPIV3Schema` into a JSON Schema that rejects what the API server would prune:
 * structural objects get `additionalProperties: false` unless they preserve unknown fields, and
 * `x-kubernetes-int-or-string` becomes an explicit integer-or-string. `metadata` is checked as ObjectMeta.
 */
type Schema = { [key: string]: unknown };

export function strictCrdSchema(openApi: Schema, metadataSchema: Schema): Schema {
  const root = tighten(openApi);
  const properties = { ...(root.properties as Schema), metadata: metadataSchema };
  return { ...root, properties };
}

function tighten(node: unknown): Schema {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node as Schema;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'properties' || key === 'patternProperties') {
      schema[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, tighten(child)]));
    } else if (key === 'items' || key === 'additionalProperties' || key === 'not') {
      schema[key] = typeof value === 'object' ? tighten(value) : value;
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      schema[key] = (value as unknown[]).map(tighten);
    } else {
      schema[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete schema.type;
    return { ...schema, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  const preserves = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema.properties && schema.additionalProperties === undefined && !preserves) {
    schema.additionalProperties = false;
  }
  return schema;
}

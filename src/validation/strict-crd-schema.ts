/**
 * Turns a CRD `openAPIV3Schema` into a JSON Schema that rejects what the API server would prune:
 * structural objects get `additionalProperties: false` unless they preserve unknown fields, and
 * `x-kubernetes-int-or-string` becomes an explicit integer-or-string. `metadata` is checked as ObjectMeta.
 * Patterns are Go RE2 syntax; the few spellings JavaScript lacks are translated.
 */
type Schema = { [key: string]: unknown };

export function strictCrdSchema(openApi: Schema, metadataSchema: Schema): Schema {
  const root = tighten(openApi);
  const properties = { ...(root.properties as Schema), metadata: metadataSchema };
  return { ...root, properties };
}

/**
 * `structural` is false inside `allOf`/`anyOf`/`oneOf`/`not`: in a structural schema those only add value
 * checks (`required: [x]` with `properties: {x: {}}`), they never declare fields, so they must not reject any.
 */
function tighten(node: unknown, structural = true): Schema {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return node as Schema;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node as Schema)) {
    if (key === 'properties' || key === 'patternProperties') {
      schema[key] = Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, tighten(child, structural)]));
    } else if (key === 'items' || key === 'additionalProperties') {
      schema[key] = typeof value === 'object' ? tighten(value, structural) : value;
    } else if (key === 'not') {
      schema[key] = tighten(value, false);
    } else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') {
      schema[key] = (value as unknown[]).map((branch) => tighten(branch, false));
    } else if (key === 'pattern' && typeof value === 'string') {
      schema[key] = jsPattern(value);
    } else {
      schema[key] = value;
    }
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete schema.type;
    return { ...schema, anyOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  const preserves = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (structural && schema.properties && schema.additionalProperties === undefined && !preserves) {
    schema.additionalProperties = false;
  }
  return schema;
}

/** RE2's one-letter Unicode classes (`\pL`, `\PC`) are `\p{L}`, `\P{C}` in JavaScript. */
function jsPattern(pattern: string): string {
  return pattern.replace(/(?<!\\)((?:\\\\)*)\\([pP])([A-Za-z])/g, '$1\\$2{$3}');
}

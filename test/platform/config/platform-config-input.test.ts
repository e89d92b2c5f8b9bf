import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import type { PlatformConfigInput } from '../../../src/platform/config/platform-config';
import { platformConfigSchema as PlatformConfigSchema } from '../../../src/platform/config/platform-config-schema';
import type { SameShape } from '../../../src/platform/config/same-shape';
import { VERSIONS } from '../../../src/core/versions';
import { REPO_ROOT } from '../../support/platform';

/** The compile-time check in platform-config.ts, applied to a schema that drifted from the documented type. */
type MatchesDocs<S extends z.ZodType> = SameShape<z.input<S>, PlatformConfigInput>;
const gitops = PlatformConfigSchema.shape.gitops;

/** The config interfaces, and the construct props they extend. */
const SOURCES = [join(REPO_ROOT, 'src', 'platform', 'config', 'platform-config-input.ts'), join(REPO_ROOT, 'src', 'models', 'ollama-serving.ts')];

/** One documented field: where it is in the config (`ollama.numParallel`; arrays and records are transparent). */
interface DocumentedField {
  readonly path: string;
  readonly optional: boolean;
  readonly literal: boolean;
  readonly description: string;
  readonly tags: ReadonlyMap<string, string>;
}

/** Every field reachable from PlatformConfigInput, read from the interfaces' source and their JSDoc. */
function documentedFields(): DocumentedField[] {
  const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  for (const source of SOURCES) {
    ts.createSourceFile(source, readFileSync(source, 'utf8'), ts.ScriptTarget.ES2022, true).forEachChild((node) => {
      if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) declarations.set(node.name.text, node);
    });
  }
  /** The interfaces a type node stands for, through aliases, unions, arrays and Readonly<Record<…>>. */
  const interfacesOf = (type: ts.Node): ts.InterfaceDeclaration[] => {
    const found: ts.InterfaceDeclaration[] = [];
    const visit = (node: ts.Node): void => {
      const declaration = ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) ? declarations.get(node.typeName.text) : undefined;
      if (declaration && ts.isInterfaceDeclaration(declaration)) found.push(declaration);
      else if (declaration) visit(declaration.type);
      node.forEachChild(visit);
    };
    visit(type);
    return found;
  };
  const fields: DocumentedField[] = [];
  const walk = (declaration: ts.InterfaceDeclaration, prefix: string): void => {
    for (const base of declaration.heritageClauses?.flatMap((clause) => clause.types) ?? []) {
      const inherited = ts.isIdentifier(base.expression) ? declarations.get(base.expression.text) : undefined;
      if (inherited && ts.isInterfaceDeclaration(inherited)) walk(inherited, prefix);
    }
    for (const member of declaration.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const path = `${prefix}${(member.name as ts.Identifier).text}`;
      const doc = ts.getJSDocCommentsAndTags(member).find(ts.isJSDoc);
      const tags = new Map((doc?.tags ?? []).map((tag) => [tag.tagName.text, ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '']));
      const literal = ts.isLiteralTypeNode(member.type);
      fields.push({ path, optional: member.questionToken !== undefined, literal, description: ts.getTextOfJSDocComment(doc?.comment)?.trim() ?? '', tags });
      for (const inner of interfacesOf(member.type)) walk(inner, `${path}.`);
    }
  };
  walk(declarations.get('PlatformConfigInput') as ts.InterfaceDeclaration, '');
  return fields;
}

/** The documented defaults that are values (`@default 'dist'`), evaluated; prose ones (`@default - …`) are left out. */
function documentedDefaults(): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const field of documentedFields()) {
    const text = field.tags.get('default');
    if (text === undefined || text.startsWith('- ')) continue;
    const value: unknown = new Function('VERSIONS', `return (${text});`)(VERSIONS);
    if (field.path in defaults) expect(value, `${field.path}: one default in every branch`).toEqual(defaults[field.path]);
    defaults[field.path] = value;
  }
  return defaults;
}

/** The defaults the schema applies (`.default(…)`), by the same paths; an object of defaults (`.prefault({})`) is its fields'. */
function schemaDefaults(schema: z.ZodType, prefix = '', into: Record<string, unknown> = {}): Record<string, unknown> {
  const inner = (s: z.ZodType): z.ZodType =>
    s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault ? inner(s._zod.def.innerType as z.ZodType) : s;
  const node = inner(schema);
  if (node instanceof z.ZodObject) {
    for (const [key, field] of Object.entries(node.shape as Record<string, z.ZodType>)) {
      if (field instanceof z.ZodDefault) into[`${prefix}${key}`] = field.parse(undefined);
      schemaDefaults(field, `${prefix}${key}.`, into);
    }
  } else if (node instanceof z.ZodArray) schemaDefaults(node.element as z.ZodType, prefix, into);
  else if (node instanceof z.ZodRecord) schemaDefaults(node.valueType as z.ZodType, prefix, into);
  else if (node instanceof z.ZodUnion) for (const option of node.options as z.ZodType[]) schemaDefaults(option, prefix, into);
  return into;
}

describe('the documented config type (PlatformConfigInput)', () => {
  it('is the schema input type, which tsc checks (these lines compile only while each drift is caught)', () => {
    true satisfies MatchesDocs<typeof PlatformConfigSchema>;
    // @ts-expect-error a field the schema has and the docs lack
    true satisfies MatchesDocs<ReturnType<typeof PlatformConfigSchema.extend<{ extra: z.ZodOptional<z.ZodString> }>>>;
    // @ts-expect-error a documented field the schema lacks
    true satisfies MatchesDocs<ReturnType<typeof PlatformConfigSchema.omit<{ promptDir: true }>>>;
    // @ts-expect-error a nested field the docs lack
    true satisfies MatchesDocs<
      ReturnType<typeof PlatformConfigSchema.extend<{ gitops: ReturnType<typeof gitops.extend<{ branch: z.ZodOptional<z.ZodString> }>> }>>
    >;
    // @ts-expect-error a field required by the schema but optional in the docs
    true satisfies MatchesDocs<ReturnType<typeof PlatformConfigSchema.extend<{ promptDir: z.ZodString }>>>;
    // @ts-expect-error a field of another type
    true satisfies MatchesDocs<ReturnType<typeof PlatformConfigSchema.extend<{ promptDir: z.ZodOptional<z.ZodNumber> }>>>;
    true satisfies SameShape<{ a: readonly string[] }, { a: string[] }>;
    expect(documentedFields().length).toBeGreaterThan(100);
  });

  it('documents each default the schema applies, with its value', () => {
    const defaults = schemaDefaults(PlatformConfigSchema);
    expect(Object.keys(defaults).length).toBeGreaterThan(30);
    expect(documentedDefaults()).toEqual(defaults);
    expect(defaults['versions.images.ollama']).toBe(VERSIONS.images.ollama);
  });

  it('documents every field: what it does, an example, and a default unless it is required', () => {
    const gaps = documentedFields().flatMap((field) => [
      ...(field.description ? [] : [`${field.path}: no description`]),
      ...(field.literal || field.tags.has('example') ? [] : [`${field.path}: no @example`]),
      ...(field.optional === field.tags.has('default') ? [] : [`${field.path}: ${field.optional ? 'optional without @default' : 'required with @default'}`]),
    ]);
    expect(gaps).toEqual([]);
  });
});

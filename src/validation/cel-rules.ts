/**
 * Offline evaluation of a CRD's `x-kubernetes-validations` (CEL rules), the checks the API server runs after
 * the schema: `self` is the value of the schema node that declares the rule (the root, a nested object or each
 * item of an array / value of a map). Transition rules (they read `oldSelf`) need the stored object and are
 * skipped.
 */
import type { CelEnv, CelResult } from '@bufbuild/cel';
import type { Expr } from '@bufbuild/cel-spec/cel/expr/syntax_pb.js';

/** One entry of `x-kubernetes-validations`. */
export interface KubeRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  /** A JSONPath relative to the node, naming the field the error is about. */
  readonly fieldPath?: string;
}

/**
 * The parts of a schema that lead to CEL rules, JSON-serializable so it can be cached: the rules of this node,
 * the defaults of its direct properties (the API server defaults before it validates) and the children that
 * hold rules further down.
 */
export interface RuleNode {
  readonly rules?: readonly KubeRule[];
  readonly defaults?: Readonly<Record<string, unknown>>;
  readonly properties?: Readonly<Record<string, RuleNode>>;
  /** Rules for every array item. */
  readonly items?: RuleNode;
  /** Rules for every value of a map. */
  readonly additionalProperties?: RuleNode;
}

/** A violated (or unevaluable) rule: the JSON pointer of the node and what is wrong. */
export interface RuleViolation {
  readonly path: string;
  readonly message: string;
}

type Schema = { readonly [key: string]: unknown };

/** Collects the rule tree of a CRD `openAPIV3Schema`; undefined when it has no rules. */
export function ruleTreeOf(schema: Schema): RuleNode | undefined {
  const node: {
    rules?: KubeRule[];
    defaults?: Record<string, unknown>;
    properties?: Record<string, RuleNode>;
    items?: RuleNode;
    additionalProperties?: RuleNode;
  } = {};
  const rules = schema['x-kubernetes-validations'] as KubeRule[] | undefined;
  if (rules?.length) node.rules = rules.map(({ rule, message, messageExpression, fieldPath }) => ({ rule, message, messageExpression, fieldPath }));
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    const sub = ruleTreeOf(child);
    if (sub) (node.properties ??= {})[name] = sub;
  }
  if (isSchema(schema.items)) node.items = ruleTreeOf(schema.items);
  if (isSchema(schema.additionalProperties)) node.additionalProperties = ruleTreeOf(schema.additionalProperties);
  if (!node.rules && !node.properties && !node.items && !node.additionalProperties) return undefined;
  for (const [name, child] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) {
    if (child.default !== undefined) (node.defaults ??= {})[name] = child.default;
  }
  return node;
}

/** Every rule expression in a rule tree, in schema order, with the node's path (`*` for items and map values). */
export function rulesOf(tree: RuleNode | undefined, path = ''): Array<{ path: string; rule: KubeRule }> {
  if (!tree) return [];
  return [
    ...(tree.rules ?? []).map((rule) => ({ path: path || '/', rule })),
    ...Object.entries(tree.properties ?? {}).flatMap(([name, child]) => rulesOf(child, `${path}/${escapePointer(name)}`)),
    ...rulesOf(tree.items, `${path}/*`),
    ...rulesOf(tree.additionalProperties, `${path}/*`),
  ];
}

/** A rule compiled once per process, whatever the number of objects it checks. */
export interface CompiledRule {
  /** Transition rules read `oldSelf`, which an offline check does not have. */
  readonly transition: boolean;
  /** Functions the offline environment lacks; the rule cannot be evaluated while this is non-empty. */
  readonly unsupported: readonly string[];
  readonly syntaxError?: string;
  readonly evaluate?: (self: unknown) => CelResult;
}

/**
 * The CEL runtime, loaded on first use: it is a large module graph (protobuf, RE2) that a synth whose objects
 * all passed before (see ValidatedObjects) never needs.
 */
const cel = (): typeof import('@bufbuild/cel') => require('@bufbuild/cel') as typeof import('@bufbuild/cel');
let environment: CelEnv | undefined;

// Kubernetes offers the standard library plus extensions; the strings extension is the one the pinned CRDs
// could use. Operators and macros the planner implements itself are not in the function table.
function env(): CelEnv {
  if (!environment) {
    const { strings } = require('@bufbuild/cel/ext') as typeof import('@bufbuild/cel/ext');
    environment = cel().celEnv({ funcs: strings, variables: { self: cel().CelScalar.DYN } });
  }
  return environment;
}
const PLANNER_OPERATORS = new Set(['_&&_', '_||_', '_?_:_', '_[_]', '_[?_]', '_?._', '@not_strictly_false', '__not_strictly_false__']);
const compiled = new Map<string, CompiledRule>();

/** Parses and plans a rule expression, once per expression. */
export function compileRule(expression: string): CompiledRule {
  let rule = compiled.get(expression);
  if (!rule) {
    rule = compileUncached(expression);
    compiled.set(expression, rule);
  }
  return rule;
}

function compileUncached(expression: string): CompiledRule {
  let expr: Expr;
  try {
    expr = cel().parse(expression).expr;
  } catch (error) {
    return { transition: false, unsupported: [], syntaxError: (error as Error).message };
  }
  const { idents, calls } = referencesOf(expr);
  const unsupported = [...calls].filter((name) => !PLANNER_OPERATORS.has(name) && !env().funcs.find(name)).sort();
  const transition = idents.has('oldSelf');
  if (transition || unsupported.length > 0) return { transition, unsupported };
  const program = cel().plan(env(), expr);
  return { transition, unsupported, evaluate: (self) => program({ self: self as never }) };
}

/** The identifiers and called functions of an expression. */
function referencesOf(root: Expr): { idents: Set<string>; calls: Set<string> } {
  const idents = new Set<string>();
  const calls = new Set<string>();
  const visit = (expr: Expr | undefined): void => {
    if (!expr) return;
    const kind = expr.exprKind;
    switch (kind.case) {
      case 'identExpr':
        idents.add(kind.value.name);
        break;
      case 'selectExpr':
        visit(kind.value.operand);
        break;
      case 'callExpr':
        calls.add(kind.value.function);
        visit(kind.value.target);
        kind.value.args.forEach(visit);
        break;
      case 'listExpr':
        kind.value.elements.forEach(visit);
        break;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value);
          visit(entry.value);
        }
        break;
      case 'comprehensionExpr':
        for (const part of [kind.value.iterRange, kind.value.accuInit, kind.value.loopCondition, kind.value.loopStep, kind.value.result]) visit(part);
        break;
      default:
        break;
    }
  };
  visit(root);
  return { idents, calls };
}

/**
 * Checks a value against a rule tree. Returns one violation per failed rule, with the JSON pointer of the node
 * (plus the rule's `fieldPath`) and the rule's message.
 */
export function ruleViolations(tree: RuleNode | undefined, value: unknown): RuleViolation[] {
  if (!tree) return [];
  const violations: RuleViolation[] = [];
  walk(tree, toCel(value), '', violations);
  return violations;
}

function walk(node: RuleNode, value: unknown, path: string, out: RuleViolation[]): void {
  if (isObject(value) && node.defaults) {
    for (const [name, fallback] of Object.entries(node.defaults)) if (!(name in value)) value[name] = toCel(fallback);
  }
  for (const rule of node.rules ?? []) {
    const message = violationOf(rule, value);
    if (message) out.push({ path: withFieldPath(path || '/', rule.fieldPath), message });
  }
  if (Array.isArray(value)) {
    if (node.items) value.forEach((item, index) => walk(node.items!, item, `${path}/${index}`, out));
  } else if (isObject(value)) {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (value[name] !== undefined && value[name] !== null) walk(child, value[name], `${path}/${escapePointer(name)}`, out);
    }
    if (node.additionalProperties) {
      const declared = new Set(Object.keys(node.properties ?? {}));
      for (const [name, child] of Object.entries(value)) {
        if (!declared.has(name)) walk(node.additionalProperties, child, `${path}/${escapePointer(name)}`, out);
      }
    }
  }
}

/** The error message if `self` violates the rule, else undefined. */
function violationOf(rule: KubeRule, self: unknown): string | undefined {
  const program = compileRule(rule.rule);
  if (program.transition) return undefined;
  if (program.syntaxError) return `rule "${rule.rule}" does not parse: ${program.syntaxError}`;
  if (!program.evaluate) {
    return `rule "${rule.rule}" uses CEL functions this offline check lacks (${program.unsupported.join(', ')}); add them in src/validation/cel-rules.ts`;
  }
  const result = program.evaluate(self);
  if (result === true) return undefined;
  if (cel().isCelError(result)) return `rule "${rule.rule}" could not be evaluated: ${result.message}`;
  if (result !== false) return `rule "${rule.rule}" returned ${String(result)}, not a bool`;
  return messageOf(rule, self);
}

function messageOf(rule: KubeRule, self: unknown): string {
  if (rule.messageExpression) {
    const program = compileRule(rule.messageExpression);
    const message = program.evaluate?.(self);
    if (typeof message === 'string' && message.trim() !== '') return message;
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** Appends a rule's `fieldPath` (`.a.b`, `.a['b.c']`, `.list[2]`) to a JSON pointer. */
function withFieldPath(path: string, fieldPath: string | undefined): string {
  if (!fieldPath) return path;
  const tokens = [...fieldPath.matchAll(/\.([^.[\]]+)|\[['"]([^'"]+)['"]\]|\[(\d+)\]/g)].map((m) => m[1] ?? m[2] ?? m[3]);
  return `${path === '/' ? '' : path}/${tokens.map(escapePointer).join('/')}`;
}

/**
 * A deep copy in the shape CEL sees: whole numbers become CEL ints (bigint), as the API server reads an
 * `integer` field; other values stay as they are.
 */
function toCel(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map(toCel);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSchema(value: unknown): value is Schema {
  return isObject(value);
}

function escapePointer(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

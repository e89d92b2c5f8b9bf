import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import { DEFAULT_KAGENT_VERSION } from '../core/kagent-versions';
import type { KubeObject } from '../core/kube-object';
import { SCHEMA_DIR } from '../core/paths';
import { cachedFile, requireWithCodeCache } from '../core/build-cache.cjs';
import { ruleTreeOf, ruleViolations, type RuleNode } from './cel-rules';
import { apiServerViolations } from './core-object-rules';
import { withDerivedKinds } from './derived-core-kinds';
import { strictCrdSchema } from './strict-crd-schema';
import { validationKey } from './validation-key';

export interface ManifestValidatorOptions {
  /**
   * The kagent version whose CRD schemas (`schemas/kagent/<version>/`) check kagent objects, so a field that
   * version lacks is an error.
   * @default DEFAULT_KAGENT_VERSION
   */
  readonly kagentVersion?: string;
}

interface CoreSchemas {
  readonly kinds: Record<string, string>;
  readonly definitions: Record<string, unknown>;
}

type Validate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** Absolute schema ids, so `$ref`s resolve the same from every kind's schema. */
const CORE_ID = 'https://agent-platform.local/schemas/k8s-core.json';
const kindId = (key: string) => `https://agent-platform.local/schemas/kinds/${key}.json`;

/**
 * Validates objects offline against the pinned schemas committed under `schemas/`: core kinds against
 * the Kubernetes OpenAPI types, custom resources against their CRD's `openAPIV3Schema` and its CEL rules
 * (`x-kubernetes-validations`). Undeclared fields and kinds without a pinned schema are errors. kagent objects
 * are checked against the schemas of one kagent version (see {@link ManifestValidatorOptions.kagentVersion}).
 *
 * Compiling the large CRD schemas costs more than the rest of a synth, so {@link ManifestValidator.shared}
 * compiles each kind once, when it is first validated, into standalone code cached in the project's
 * `node_modules/.cache/agent-platform-cdk8s`, keyed by {@link validationKey}: a changed schema, validation code,
 * lockfile or another kagent version is a new key, never a stale validator.
 */
export class ManifestValidator {
  private static readonly sharedInstances = new Map<string, ManifestValidator>();

  /**
   * One validator per process and kagent version, backed by the precompiled cache
   * (`AGENT_PLATFORM_VALIDATION_CACHE=off`: compiled in this process, nothing cached).
   */
  public static shared(options: ManifestValidatorOptions = {}): ManifestValidator {
    const version = options.kagentVersion ?? DEFAULT_KAGENT_VERSION;
    const cached = process.env.AGENT_PLATFORM_VALIDATION_CACHE !== 'off';
    let validator = ManifestValidator.sharedInstances.get(`${version} ${cached}`);
    if (!validator) {
      validator = new ManifestValidator(SCHEMA_DIR, { kagentVersion: version });
      if (cached) validator.usePrecompiled();
      ManifestValidator.sharedInstances.set(`${version} ${cached}`, validator);
    }
    return validator;
  }

  /** The kagent versions with a committed schema set, sorted. */
  public static kagentVersions(schemaDir: string = SCHEMA_DIR): string[] {
    const dir = join(schemaDir, 'kagent');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  }

  /** The kagent version this validator checks kagent objects against. */
  public readonly kagentVersion: string;
  private compiler?: Ajv;
  private readonly core: CoreSchemas;
  private readonly crdFiles: Map<string, string>;
  private readonly validators = new Map<string, Validate>();
  private readonly ruleTrees = new Map<string, RuleNode | undefined>();
  private readonly schemaFiles: string[];
  /** Set by {@link usePrecompiled}: the cache key of the schema files. */
  private precompiledKey?: string;
  /** Set by {@link usePrecompiled}: the cached rule trees, loaded when a rule is first needed. */
  private rulesFile?: string;

  constructor(schemaDir: string = SCHEMA_DIR, options: ManifestValidatorOptions = {}) {
    this.kagentVersion = options.kagentVersion ?? DEFAULT_KAGENT_VERSION;
    const supported = ManifestValidator.kagentVersions(schemaDir);
    if (!supported.includes(this.kagentVersion)) {
      throw new Error(`kagent ${this.kagentVersion} has no pinned schemas under ${join(schemaDir, 'kagent')}; supported: ${supported.join(', ')}`);
    }
    this.core = withDerivedKinds(JSON.parse(readFileSync(join(schemaDir, 'k8s-core.json'), 'utf8')) as CoreSchemas);
    const crdFiles = [join(schemaDir, 'crds'), join(schemaDir, 'kagent', this.kagentVersion)].flatMap((dir) =>
      readdirSync(dir)
        .sort()
        .map((file) => join(dir, file)),
    );
    this.schemaFiles = [join(schemaDir, 'k8s-core.json'), ...crdFiles];
    this.crdFiles = new Map(
      crdFiles.map((path) => {
        const [group, version, kind] = basename(path)
          .replace(/\.json$/, '')
          .split('_');
        return [`${group}/${version}/${kind}`, path];
      }),
    );
  }

  /** The `apiVersion/kind` pairs this validator has a pinned schema for. */
  public get knownKinds(): string[] {
    return [...Object.keys(this.core.kinds), ...this.crdFiles.keys()].sort();
  }

  /**
   * Returns one human-readable error per violation, each naming the file, the object and the field path.
   * An empty array means the object is valid.
   */
  public validate(object: KubeObject, file: string): string[] {
    const where = `${file}: ${describe(object)}`;
    const kind = `${object.apiVersion}/${object.kind}`;
    const validator = this.validatorFor(kind);
    if (!validator) {
      return [`${where}: no pinned schema for apiVersion "${object.apiVersion}" kind "${object.kind}"; known kinds: ${this.knownKinds.join(', ')}`];
    }
    if (!validator(object)) return withoutBranchErrors(validator.errors ?? []).map((error) => `${where}: ${formatError(error)}`);
    // CEL rules and the checks of core fields assume a structurally valid object, as in the API server.
    return [...ruleViolations(this.ruleTreeFor(kind), object), ...apiServerViolations(object)].map((v) => `${where}: ${v.path}: ${v.message}`);
  }

  /**
   * The validation key (see {@link validationKey}) once this validator uses the precompiled cache: results of a
   * validator with a key can be remembered (see ValidatedObjects).
   */
  public get schemaKey(): string | undefined {
    return this.precompiledKey;
  }

  /** Validates with standalone validators from the build cache (built per kind on first use), and cached CEL rule trees. */
  public usePrecompiled(): this {
    const key = validationKey(this.schemaFiles);
    this.precompiledKey = key;
    this.rulesFile = cachedFile('schema-validators', 'cel-rules', key, () => {
      const trees = Object.fromEntries(this.knownKinds.map((kind) => [kind, this.ruleTreeFor(kind) ?? null]));
      return `module.exports = ${JSON.stringify(trees)};\n`;
    });
    return this;
  }

  /**
   * The precompiled validator of one kind, built into the cache the first time. One module per kind, loaded
   * when the kind is first met: a synth loads only the kinds it renders (the ApplicationSet and Application
   * validators alone are megabytes of code).
   */
  private precompiled(kind: string, key: string): Validate {
    const file = cachedFile('schema-validators', `validator-${kind.replace(/[^A-Za-z0-9-]/g, '_')}`, key, () => {
      if (!this.ajv.getSchema(kindId(kind))) this.ajv.addSchema(this.schemaFor(kind)!, kindId(kind));
      // Ajv's code generator is only needed to fill the cache.
      const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
      return standaloneCode(this.ajv, { [kind]: kindId(kind) });
    });
    return requireWithCodeCache<Record<string, Validate>>(file)[kind];
  }

  /** The CEL rules of a custom resource kind (core kinds have none offline). */
  private ruleTreeFor(kind: string): RuleNode | undefined {
    if (this.rulesFile && this.ruleTrees.size === 0) {
      const trees = requireWithCodeCache<Record<string, RuleNode | null>>(this.rulesFile);
      for (const known of this.knownKinds) this.ruleTrees.set(known, trees[known] ?? undefined);
    }
    if (!this.ruleTrees.has(kind)) {
      const crdFile = this.crdFiles.get(kind);
      this.ruleTrees.set(kind, crdFile ? ruleTreeOf(JSON.parse(readFileSync(crdFile, 'utf8'))) : undefined);
    }
    return this.ruleTrees.get(kind);
  }

  /** The schema compiler, created only when something must be compiled. */
  private get ajv(): Ajv {
    if (!this.compiler) {
      // Ajv itself is only needed to compile; precompiled validators bring their own runtime.
      const Ajv = (require('ajv') as typeof import('ajv')).default;
      this.compiler = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true } });
      this.compiler.addSchema({ $id: CORE_ID, definitions: this.core.definitions });
    }
    return this.compiler;
  }

  private validatorFor(key: string): Validate | undefined {
    const cached = this.validators.get(key);
    if (cached) return cached;
    if (!this.core.kinds[key] && !this.crdFiles.has(key)) return undefined;
    // A precompiled validator needs no schema in this process unless it is being built.
    const validator: Validate = this.precompiledKey ? this.precompiled(key, this.precompiledKey) : this.ajv.compile(this.schemaFor(key)!);
    this.validators.set(key, validator);
    return validator;
  }

  private schemaFor(key: string): object | undefined {
    const coreModel = this.core.kinds[key];
    if (coreModel) return { $ref: `${CORE_ID}#/definitions/${coreModel}` };
    const crdFile = this.crdFiles.get(key);
    if (!crdFile) return undefined;
    const metadataRef = { $ref: `${CORE_ID}#/definitions/V1ObjectMeta` };
    return strictCrdSchema(JSON.parse(readFileSync(crdFile, 'utf8')), metadataRef);
  }
}

function describe(object: KubeObject): string {
  const ns = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
  return `${object.kind ?? '<no kind>'} ${ns}${object.metadata?.name ?? '<no name>'}`;
}

/**
 * With `allErrors`, a failed `anyOf`/`oneOf` also reports why each branch failed; those are folded into the
 * branch error (see {@link formatError}), which says what the object must do.
 */
function withoutBranchErrors(errors: readonly ErrorObject[]): Array<ErrorObject & { branches?: ErrorObject[] }> {
  const junctions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const inBranch = (e: ErrorObject, j: ErrorObject) => e !== j && e.schemaPath.startsWith(`${j.schemaPath}/`);
  return errors
    .filter((e) => !junctions.some((j) => inBranch(e, j)))
    .map((e) => (junctions.includes(e) ? { ...e, branches: errors.filter((b) => inBranch(b, e)) } : e));
}

function formatError(error: ErrorObject & { branches?: ErrorObject[] }): string {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    return `${joinPath(path, field)}: unknown field "${field}" (the schema does not declare it, so the API server would drop it)`;
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    return `${joinPath(path, field)}: required field is missing`;
  }
  const alternatives = (error.branches ?? []).filter((b) => b.keyword === 'required').map((b) => String(b.params.missingProperty));
  if (error.keyword === 'anyOf' && alternatives.length > 0 && alternatives.length === error.branches?.length) {
    return `${path}: must set at least one of ${alternatives.join(', ')}`;
  }
  if (error.keyword === 'oneOf' && alternatives.length > 0 && alternatives.length === error.branches?.length) {
    return `${path}: must set exactly one of ${alternatives.join(', ')}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return `${path}: must be one of ${allowed}`;
  }
  return `${path}: ${error.message ?? error.keyword}`;
}

function joinPath(path: string, field: string): string {
  return path === '/' ? `/${field}` : `${path}/${field}`;
}

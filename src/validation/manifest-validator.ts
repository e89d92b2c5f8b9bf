import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { SCHEMA_DIR } from '../paths';
import { cachedFile, hashFiles, requireWithCodeCache } from '../util/build-cache.cjs';
import { strictCrdSchema } from './strict-crd-schema';

/** A Kubernetes object as it appears in a manifest. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [key: string]: unknown;
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
 * the Kubernetes OpenAPI types, custom resources against their CRD's `openAPIV3Schema`. Undeclared fields
 * and kinds without a pinned schema are errors.
 *
 * Compiling the large CRD schemas costs more than the rest of a synth, so {@link ManifestValidator.shared}
 * compiles every kind once into standalone code cached under `node_modules/.cache`, keyed by a hash of the
 * schema files: a changed schema is a new key, never a stale validator.
 */
export class ManifestValidator {
  private static sharedInstance?: ManifestValidator;

  /** One validator per process, backed by the precompiled cache. */
  public static shared(): ManifestValidator {
    ManifestValidator.sharedInstance ??= new ManifestValidator(SCHEMA_DIR).usePrecompiled();
    return ManifestValidator.sharedInstance;
  }

  private compiler?: Ajv;
  private readonly core: CoreSchemas;
  private readonly crdFiles: Map<string, string>;
  private readonly validators = new Map<string, Validate>();
  private readonly schemaFiles: string[];

  constructor(schemaDir: string = SCHEMA_DIR) {
    this.core = JSON.parse(readFileSync(join(schemaDir, 'k8s-core.json'), 'utf8')) as CoreSchemas;
    const crdDir = join(schemaDir, 'crds');
    const files = readdirSync(crdDir).sort();
    this.schemaFiles = [join(schemaDir, 'k8s-core.json'), ...files.map((f) => join(crdDir, f))];
    this.crdFiles = new Map(
      files.map((file) => {
        const [group, version, kind] = file.replace(/\.json$/, '').split('_');
        return [`${group}/${version}/${kind}`, join(crdDir, file)];
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
    const validator = this.validatorFor(`${object.apiVersion}/${object.kind}`);
    if (!validator) {
      return [`${where}: no pinned schema for apiVersion "${object.apiVersion}" kind "${object.kind}"; known kinds: ${this.knownKinds.join(', ')}`];
    }
    if (validator(object)) return [];
    return (validator.errors ?? []).map((error) => `${where}: ${formatError(error)}`);
  }

  /** Loads (or builds once) standalone validators for every known kind from the build cache. */
  public usePrecompiled(): this {
    const key = hashFiles(this.schemaFiles, require('ajv/package.json').version);
    const target = cachedFile('schema-validators', 'validators', key, () => {
      for (const kind of this.knownKinds) this.ajv.addSchema(this.schemaFor(kind)!, kindId(kind));
      return standaloneCode(this.ajv, Object.fromEntries(this.knownKinds.map((kind) => [kind, kindId(kind)])));
    });
    const compiled = requireWithCodeCache<Record<string, Validate>>(target);
    for (const key of this.knownKinds) this.validators.set(key, compiled[key]);
    return this;
  }

  /** The schema compiler, created only when something must be compiled. */
  private get ajv(): Ajv {
    if (!this.compiler) {
      this.compiler = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true } });
      this.compiler.addSchema({ $id: CORE_ID, definitions: this.core.definitions });
    }
    return this.compiler;
  }

  private validatorFor(key: string): Validate | undefined {
    const cached = this.validators.get(key);
    if (cached) return cached;
    const schema = this.schemaFor(key);
    if (!schema) return undefined;
    const validator: ValidateFunction = this.ajv.compile(schema);
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

function formatError(error: ErrorObject): string {
  const path = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') {
    const field = String((error.params as { additionalProperty: string }).additionalProperty);
    return `${joinPath(path, field)}: unknown field "${field}" (the schema does not declare it, so the API server would drop it)`;
  }
  if (error.keyword === 'required') {
    const field = String((error.params as { missingProperty: string }).missingProperty);
    return `${joinPath(path, field)}: required field is missing`;
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

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { SCHEMA_DIR } from '../paths';
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

const CORE_ID = 'k8s-core';

/**
 * Validates objects offline against the pinned schemas committed under `schemas/`: core kinds against
 * the Kubernetes OpenAPI types, custom resources against their CRD's `openAPIV3Schema`. Undeclared fields
 * and kinds without a pinned schema are errors. Validators are compiled lazily, once per kind.
 */
export class ManifestValidator {
  private static sharedInstance?: ManifestValidator;

  /** One validator per process over the committed schemas, so each schema is compiled once. */
  public static shared(): ManifestValidator {
    ManifestValidator.sharedInstance ??= new ManifestValidator();
    return ManifestValidator.sharedInstance;
  }

  private readonly ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  private readonly core: CoreSchemas;
  private readonly crdFiles: Map<string, string>;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(schemaDir: string = SCHEMA_DIR) {
    this.core = JSON.parse(readFileSync(join(schemaDir, 'k8s-core.json'), 'utf8')) as CoreSchemas;
    this.ajv.addSchema({ $id: CORE_ID, definitions: this.core.definitions });
    const crdDir = join(schemaDir, 'crds');
    this.crdFiles = new Map(
      readdirSync(crdDir).map((file) => {
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
    const key = `${object.apiVersion}/${object.kind}`;
    const validator = this.validatorFor(key);
    if (!validator) {
      return [`${where}: no pinned schema for apiVersion "${object.apiVersion}" kind "${object.kind}"; known kinds: ${this.knownKinds.join(', ')}`];
    }
    if (validator(object)) return [];
    return (validator.errors ?? []).map((error) => `${where}: ${formatError(error)}`);
  }

  private validatorFor(key: string): ValidateFunction | undefined {
    const cached = this.compiled.get(key);
    if (cached) return cached;
    const schema = this.schemaFor(key);
    if (!schema) return undefined;
    const validator = this.ajv.compile(schema);
    this.compiled.set(key, validator);
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

import type { IConstruct } from 'constructs';
import { assertDnsLabel } from './names';

/**
 * A value held in a Kubernetes Secret that the operator creates out of band. Only the name and key are
 * written to git, never the value.
 */
export interface SecretKeyRef {
  /** Secret name. */
  readonly name: string;
  /** Key inside the Secret. */
  readonly key: string;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Throws unless the reference names a valid Secret and key. */
export function assertSecretRef(scope: IConstruct, field: string, ref: SecretKeyRef | undefined): asserts ref is SecretKeyRef {
  if (!ref || !ref.name || !ref.key) {
    throw new Error(
      `${scope.node.path}: ${field} must name a Secret and a key, e.g. { name: "my-secret", key: "token" }; the value itself never goes into git`,
    );
  }
  assertDnsLabel(scope, `${field}.name`, ref.name);
  if (!SECRET_KEY.test(ref.key)) {
    throw new Error(`${scope.node.path}: ${field}.key "${ref.key}" is not a valid Secret key (letters, digits, "-", "_", ".")`);
  }
}

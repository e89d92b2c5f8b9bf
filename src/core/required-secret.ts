import { Construct } from 'constructs';
import { assertSecretRef, type SecretKeyRef } from './secret-ref';
import { brand, isBranded } from './brand';

export interface RequiredSecretProps {
  /** Namespace the Secret must exist in. */
  readonly namespace: string;
  /** The Secret and key. */
  readonly ref: SecretKeyRef;
  /** What the value is, for the operator's inventory (e.g. "Azure DevOps PAT"). */
  readonly purpose: string;
}

/**
 * Records that a workload reads a Secret the operator must create. Synthesis collects these into
 * `dist/SECRETS.md` with a `kubectl create secret` line each.
 */
export class RequiredSecret extends Construct {
  /** Returns true if `x` is a RequiredSecret. */
  public static isRequiredSecret(x: unknown): x is RequiredSecret {
    return isBranded(x, 'RequiredSecret');
  }

  public readonly namespace: string;
  public readonly ref: SecretKeyRef;
  public readonly purpose: string;

  constructor(scope: Construct, id: string, props: RequiredSecretProps) {
    super(scope, id);
    brand(this, 'RequiredSecret');
    assertSecretRef(scope, id, props.ref);
    this.namespace = props.namespace;
    this.ref = props.ref;
    this.purpose = props.purpose;
  }
}

import { ApiObject } from 'cdk8s';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { assertDnsLabel } from '../core/names';
import { RETAIN_ON_DELETE } from '../core/retain';
import { DEFAULT_POD_SECURITY, type PodSecurityLevel } from '../core/pod-security-levels';
import { brand, isBranded } from '../core/brand';

export interface TalosNamespaceProps {
  /** Namespace name (DNS-1123 label). */
  readonly name: string;
  /**
   * Pod Security level enforced by admission.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Why the namespace needs a level weaker than `restricted`. Required for `baseline` and `privileged`.
   * @default - none (only valid with `restricted`)
   */
  readonly podSecurityReason?: string;
  /**
   * Pod Security Standards version the labels pin.
   * @default 'latest'
   */
  readonly podSecurityVersion?: string;
  /**
   * Extra labels.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/**
 * A Namespace carrying Pod Security Admission labels. `audit` and `warn` are always `restricted`, so even a
 * namespace that must enforce less reports every pod that would not pass the strictest level.
 */
export class TalosNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The enforced Pod Security level. */
  public readonly podSecurity: PodSecurityLevel;
  /** Why the level is weaker than restricted, if it is. */
  public readonly podSecurityReason?: string;
  /** The Namespace object. */
  public readonly resource: ApiObject;

  /** True for a TalosNamespace made by any installed copy of this package. */
  public static isTalosNamespace(x: unknown): x is TalosNamespace {
    return isBranded(x, 'TalosNamespace');
  }

  constructor(scope: Construct, id: string, props: TalosNamespaceProps) {
    super(scope, id);
    brand(this, 'TalosNamespace');
    assertDnsLabel(this, 'name', props.name);
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? DEFAULT_POD_SECURITY;
    this.podSecurityReason = props.podSecurityReason?.trim() || undefined;
    if (this.podSecurity !== 'restricted' && !this.podSecurityReason) {
      throw new Error(
        `${this.node.path}: namespace "${this.name}" enforces "${this.podSecurity}" without a reason; ` +
          `set podSecurityReason to say which workload needs it, or use "restricted"`,
      );
    }
    const version = props.podSecurityVersion ?? 'latest';
    const psa = 'pod-security.kubernetes.io';
    this.resource = new k8s.KubeNamespace(this, 'Resource', {
      metadata: {
        name: this.name,
        labels: {
          ...props.labels,
          'kubernetes.io/metadata.name': this.name,
          [`${psa}/enforce`]: this.podSecurity,
          [`${psa}/enforce-version`]: version,
          [`${psa}/audit`]: 'restricted',
          [`${psa}/audit-version`]: version,
          [`${psa}/warn`]: 'restricted',
          [`${psa}/warn-version`]: version,
        },
        annotations: {
          ...RETAIN_ON_DELETE,
          ...(this.podSecurityReason ? { 'platform.agents/pod-security-reason': this.podSecurityReason } : {}),
        },
      },
    });
  }
}

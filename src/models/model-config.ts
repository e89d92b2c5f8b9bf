import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kagent from '../../imports/kagent.dev';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertDnsLabel } from '../core/names';
import { RequiredSecret } from '../core/required-secret';
import { assertSecretRef, type SecretKeyRef } from '../core/secret-ref';
import { brand, isBranded } from '../core/brand';

/** Settings every ModelConfig shares. */
export interface ModelConfigBaseProps {
  /**
   * The provider's model id, e.g. `kimi-k2.6:cloud` or `gpt-4.1-mini`.
   */
  readonly model: string;
  /**
   * ModelConfig name (agents reference it by this name).
   * @default - derived from the provider and model
   */
  readonly name?: string;
  /**
   * Namespace; agents can only use a ModelConfig in their own namespace.
   * @default - the chart's namespace, else 'kagent'
   */
  readonly namespace?: NamespaceInput;
  /**
   * Extra HTTP headers on every model request.
   * @default - none
   */
  readonly defaultHeaders?: Record<string, string>;
}

/** What a concrete provider adds to the spec. */
export interface ProviderSpec {
  readonly provider: kagent.ModelConfigSpecProvider;
  readonly apiKeySecret?: SecretKeyRef;
  readonly block: Omit<kagent.ModelConfigSpec, 'model' | 'provider' | 'apiKeySecret' | 'apiKeySecretKey' | 'defaultHeaders'>;
}

/**
 * A kagent `ModelConfig` (kagent.dev/v1alpha2). Agents take the construct itself, so a missing or mistyped
 * model is a type error, not a runtime "model config not found".
 */
export abstract class ModelConfig extends Construct {
  /** Returns true if `x` is a ModelConfig. */
  public static isModelConfig(x: unknown): x is ModelConfig {
    return isBranded(x, 'ModelConfig');
  }

  /** ModelConfig name. */
  public readonly name: string;
  /** Namespace. */
  public readonly namespace: string;
  /** Model id. */
  public readonly model: string;
  /** Provider. */
  public readonly provider: kagent.ModelConfigSpecProvider;
  /** The L1 object. */
  public readonly resource: kagent.ModelConfig;

  protected constructor(scope: Construct, id: string, props: ModelConfigBaseProps, defaultName: string, spec: ProviderSpec) {
    super(scope, id);
    brand(this, 'ModelConfig');
    if (!props.model?.trim()) throw new Error(`${this.node.path}: model must be set, e.g. "kimi-k2.6:cloud"`);
    this.model = props.model;
    this.name = props.name ?? defaultName;
    assertDnsLabel(this, 'name', this.name);
    this.namespace = props.namespace !== undefined ? namespaceName(props.namespace) : (Chart.of(this).namespace ?? 'kagent');
    assertDnsLabel(this, 'namespace', this.namespace);
    this.provider = spec.provider;
    if (spec.apiKeySecret) {
      assertSecretRef(this, 'apiKeySecret', spec.apiKeySecret);
      new RequiredSecret(this, 'ApiKey', { namespace: this.namespace, ref: spec.apiKeySecret, purpose: `${spec.provider} API key for model ${this.model}` });
    }
    this.resource = new kagent.ModelConfig(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        provider: spec.provider,
        model: this.model,
        apiKeySecret: spec.apiKeySecret?.name,
        apiKeySecretKey: spec.apiKeySecret?.key,
        defaultHeaders: props.defaultHeaders,
        ...spec.block,
      },
    });
  }
}

import type { IConstruct } from 'constructs';
import { assertSecretRef, type SecretKeyRef } from '../core/secret-ref';

/**
 * The bearer keys the A2A bridge requires, in one Secret in the bridge's (and Open WebUI's) namespace: one key of
 * it lists every bearer key the bridge accepts, another holds the one Open WebUI sends. Only the references are
 * written; the operator creates the Secret (dist/SECRETS.md).
 */
export interface BridgeApiKeys {
  /**
   * The Secret and key holding every bearer key the bridge accepts, separated by commas or newlines (two while
   * one is rotated out).
   * @default { name: 'a2a-bridge-api-keys', key: 'api-keys' }
   */
  readonly secret?: SecretKeyRef;
  /**
   * The key, in the same Secret, holding the one bearer key Open WebUI sends (one of the accepted keys).
   * @default 'open-webui-key'
   */
  readonly openWebUiKey?: string;
}

/** The Secret key references the bridge and Open WebUI read. */
export interface ResolvedBridgeApiKeys {
  /** Every accepted key (the bridge's `BRIDGE_API_KEYS`). */
  readonly accepted: SecretKeyRef;
  /** The key Open WebUI sends (its `OPENAI_API_KEYS`). */
  readonly openWebUi: SecretKeyRef;
}

/** The Secret and key of the accepted keys when none is named. */
export const DEFAULT_BRIDGE_API_KEYS_SECRET = { name: 'a2a-bridge-api-keys', key: 'api-keys' } as const;
/** The key of the same Secret that holds Open WebUI's key when none is named. */
export const DEFAULT_OPEN_WEBUI_KEY = 'open-webui-key';

/** The references with defaults, or an error naming the construct, the field and the fix. */
export function resolveBridgeApiKeys(scope: IConstruct, keys: BridgeApiKeys = {}): ResolvedBridgeApiKeys {
  const accepted: SecretKeyRef = keys.secret ?? DEFAULT_BRIDGE_API_KEYS_SECRET;
  const openWebUi = { name: accepted.name, key: keys.openWebUiKey ?? DEFAULT_OPEN_WEBUI_KEY };
  assertSecretRef(scope, 'apiKeys.secret', accepted);
  assertSecretRef(scope, 'apiKeys.openWebUiKey', openWebUi);
  // Open WebUI sends its whole variable as one key: a list there would never match once it holds two keys.
  if (openWebUi.key === accepted.key) {
    throw new Error(
      `${scope.node.path}: apiKeys.openWebUiKey "${openWebUi.key}" is the key that lists every accepted key; name another key of Secret "${accepted.name}" that holds just the one Open WebUI sends`,
    );
  }
  return { accepted, openWebUi };
}

import { createHash, timingSafeEqual } from 'node:crypto';

/** Why a request was refused: no bearer key at all, or one the bridge does not accept. */
export type KeyRejection = 'missing_key' | 'invalid_key';

/** RFC 6750 `b64token`: what fits in `Authorization: Bearer <key>` unquoted. */
const KEY_CHARACTERS = /^[A-Za-z0-9._~+/-]+=*$/;
const MIN_KEY_LENGTH = 16;
const KEY_EXAMPLE = 'generate one with `openssl rand -hex 32`';

/**
 * Parses `BRIDGE_API_KEYS`: keys separated by commas or newlines (a Secret written from a file keeps its trailing
 * newline). A bad key is named by its position, never by its value: the message goes to the pod's log.
 */
export function parseApiKeys(value: string | undefined): string[] {
  const keys = (value ?? '')
    .split(/[,\r\n]+/)
    .map((key) => key.trim())
    .filter(Boolean);
  if (keys.length === 0) {
    throw new Error(`BRIDGE_API_KEYS is not set; set it to the bearer keys clients must send, separated by commas or newlines (${KEY_EXAMPLE})`);
  }
  keys.forEach((key, i) => {
    const which = `BRIDGE_API_KEYS key ${i + 1} of ${keys.length}`;
    if (!KEY_CHARACTERS.test(key))
      throw new Error(`${which} has characters a bearer key cannot carry (letters, digits and "-._~+/" only, "=" at the end); ${KEY_EXAMPLE}`);
    if (key.length < MIN_KEY_LENGTH) throw new Error(`${which} is shorter than ${MIN_KEY_LENGTH} characters; ${KEY_EXAMPLE}`);
  });
  return keys;
}

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

/** The key in an `Authorization: Bearer <key>` header, if it has one. */
function bearerKey(authorization: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
}

/**
 * The bearer keys the bridge accepts (several at once, so a key can be rotated without downtime). Keys are
 * compared as SHA-256 digests with `timingSafeEqual`, against every accepted key without stopping at a match, so
 * the time taken says nothing about how much of a key was right.
 */
export class ApiKeys {
  private readonly accepted: readonly Buffer[];

  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw new Error('ApiKeys needs at least one key');
    this.accepted = keys.map(digest);
  }

  /** Nothing when the header carries an accepted key; otherwise why the request is refused. */
  public check(authorization: string | undefined): KeyRejection | undefined {
    const presented = bearerKey(authorization);
    if (presented === undefined) return 'missing_key';
    const candidate = digest(presented);
    let match = false;
    for (const key of this.accepted) match = timingSafeEqual(candidate, key) || match;
    return match ? undefined : 'invalid_key';
  }
}

/** What a refused client is told; neither message quotes the key it sent. */
export const REJECTION_MESSAGES: Readonly<Record<KeyRejection, string>> = {
  missing_key: "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
  invalid_key: 'Incorrect API key provided.',
};

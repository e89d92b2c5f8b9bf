import { AgentCard } from 'a2a-sdk-v1';
import type { A2aVersionSetting } from './config';
import { readText, type UpstreamPool } from './upstream-http';

/** An A2A wire version, as sent in the `A2A-Version` header. */
export type WireVersion = '0.3' | '1.0';

/** Where agent cards live: the A2A 0.3/1.0 path first, then the 0.2 path kagent 0.7 serves. */
export const CARD_PATHS = ['.well-known/agent-card.json', '.well-known/agent.json'] as const;
const CARD_TTL_MS = 5 * 60_000;
const CARD_TIMEOUT_MS = 5_000;

/** True when a card (v1.0 or kagent 0.9's hybrid) offers JSON-RPC over A2A 1.0. */
export function offersV1(card: unknown): boolean {
  // By protocolVersion, not position: kagent lists 0.3 first.
  return AgentCard.fromJSON(card).supportedInterfaces.some((i) => i.protocolBinding === 'JSONRPC' && i.protocolVersion === '1.0');
}

/**
 * What the card paths of one agent answered: a card, none anywhere (404 at every path: kagent has no such
 * agent), or another status that tells nothing about the card.
 */
export type CardLookup = { readonly kind: 'card'; readonly body: string } | { readonly kind: 'missing' } | { readonly kind: 'status'; readonly status: number };

/** Asks for an agent's card at each of {@link CARD_PATHS}, in order; rejects when kagent cannot be reached. */
export async function lookUpCard(
  pool: UpstreamPool,
  agentUrl: string,
  options: { readonly signal: AbortSignal; readonly pooled?: boolean },
): Promise<CardLookup> {
  for (const path of CARD_PATHS) {
    const res = await pool.send(`${agentUrl}${path}`, {
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: options.signal,
      pooled: options.pooled,
    });
    const body = await readText(res);
    if (res.statusCode === 200) return { kind: 'card', body };
    if (res.statusCode !== 404) return { kind: 'status', status: res.statusCode ?? 0 };
  }
  return { kind: 'missing' };
}

/** A card lookup, in flight or done. */
interface CachedVersion {
  readonly version: Promise<WireVersion>;
  readonly expires: number;
  /** The version once the card was read (a lookup that failed is not kept). */
  known?: WireVersion;
}

/**
 * Picks the wire version per agent: forced by `A2A_VERSION`, else v1.0 when the agent's card offers it and v0.3
 * otherwise (no card, a 0.3 card, or an unreachable one). Cards are cached per agent for five minutes (one
 * fetch even when many requests arrive at once); a card that cannot be fetched is not cached. The card's own
 * `url` is not used: kagent fills it from its `a2aBaseUrl` setting, which need not be reachable from here.
 */
export class AgentVersionResolver {
  private readonly cache = new Map<string, CachedVersion>();

  constructor(
    private readonly setting: A2aVersionSetting,
    private readonly pool: UpstreamPool,
  ) {}

  /**
   * The version, when it is known without waiting (forced, or read from a fresh card): the request then goes
   * out in the same turn, not after the microtask that awaiting {@link versionFor} costs.
   */
  public knownVersion(agentUrl: string): WireVersion | undefined {
    if (this.setting !== 'auto') return this.setting;
    return this.unexpired(agentUrl)?.known;
  }

  public versionFor(agentUrl: string): Promise<WireVersion> {
    if (this.setting !== 'auto') return Promise.resolve(this.setting);
    const hit = this.unexpired(agentUrl);
    if (hit) return hit.version;
    const entry: CachedVersion = {
      expires: Date.now() + CARD_TTL_MS,
      version: this.discover(agentUrl).then(({ version: v, cacheable }) => {
        if (cacheable) entry.known = v;
        else this.cache.delete(agentUrl);
        return v;
      }),
    };
    this.cache.set(agentUrl, entry);
    return entry.version;
  }

  private unexpired(agentUrl: string): CachedVersion | undefined {
    const hit = this.cache.get(agentUrl);
    return hit && hit.expires > Date.now() ? hit : undefined;
  }

  private async discover(agentUrl: string): Promise<{ version: WireVersion; cacheable: boolean }> {
    try {
      const card = await lookUpCard(this.pool, agentUrl, { signal: AbortSignal.timeout(CARD_TIMEOUT_MS) });
      if (card.kind === 'card') return { version: offersV1(JSON.parse(card.body)) ? '1.0' : '0.3', cacheable: true };
      return { version: '0.3', cacheable: card.kind === 'missing' };
    } catch {
      // Unreachable or not JSON: try v0.3 now (the request then reports the real problem), ask again next time.
      return { version: '0.3', cacheable: false };
    }
  }
}

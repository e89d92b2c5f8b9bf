import { isIP } from 'node:net';
import { parseAgentAllow, type AgentAllow } from './access';
import { parseApiKeys } from './api-keys';
import { DEFAULT_SERVICE_USER_ID, serviceUserIdProblem, USER_ID_SOURCES, type UserIdSource } from './user-identity';

/** One kagent agent the bridge exposes as an OpenAI model. */
export interface AgentTarget {
  /** The OpenAI model id: the agent's name unless AGENTS gives another (`<id>=<namespace>/<name>`). */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** Who may use it (from `AGENT_ALLOW`); absent: everyone. */
  readonly allow?: AgentAllow;
}

/** Which A2A wire version to speak: `auto` reads each agent's card; `0.3`/`1.0` force one. */
export type A2aVersionSetting = 'auto' | '0.3' | '1.0';

export interface BridgeConfig {
  /** kagent's A2A base, e.g. `http://kagent-controller.kagent:8083/api/a2a`. */
  readonly a2aBaseUrl: string;
  /** Exposed agents; the model id is the agent name unless AGENTS names another. `AGENT_ALLOW` limits who may use each. */
  readonly agents: readonly AgentTarget[];
  /** Listen port. */
  readonly port: number;
  /** `HOST`: the address to listen on (`127.0.0.1` for a test on one machine). @default '0.0.0.0' (in a pod) */
  readonly host: string;
  /** Fail a request when the upstream sends nothing for this long. */
  readonly idleTimeoutMs: number;
  /** Show tool calls as a collapsed block in the answer. */
  readonly showToolCalls: boolean;
  /** `A2A_VERSION`: the A2A wire version. @default 'auto' */
  readonly a2aVersion: A2aVersionSetting;
  /** `UPSTREAM_MAX_SOCKETS`: keep-alive connections to kagent, at most (requests beyond it queue). @default 1024 */
  readonly upstreamMaxSockets: number;
  /** `SHUTDOWN_GRACE_MS`: after SIGTERM, how long open streams may take to finish. @default 25000 */
  readonly shutdownGraceMs: number;
  /** `READY_CACHE_MS`: how long `/readyz` reuses its last upstream check. @default 5000 */
  readonly readyCacheMs: number;
  /** `BRIDGE_API_KEYS`: the bearer keys a request must carry (all but the probes), separated by commas or newlines. */
  readonly apiKeys: readonly string[];
  /** `USER_ID_FROM`: which forwarded Open WebUI user field is kagent's `x-user-id`. @default 'email' */
  readonly userIdFrom: UserIdSource;
  /** `SERVICE_USER_ID`: kagent's `x-user-id` for requests that forward no user. @default 'open-webui-service' */
  readonly serviceUserId: string;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Readable, URL- and Open WebUI-safe ids: no "." (Open WebUI joins a manifold's ids with it) and no spaces. */
const MODEL_ID = /^[a-z0-9]([-a-z0-9/]*[a-z0-9])?$/;
const VERSIONS: readonly A2aVersionSetting[] = ['auto', '0.3', '1.0'];

/** Parses `namespace/name,id=namespace/name` (an id such as `research/scout` keeps team agents apart). */
export function parseAgents(value: string): AgentTarget[] {
  const agents = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [id, target] = entry.includes('=') ? entry.split('=', 2) : [undefined, entry];
      const [namespace, name, ...rest] = target.split('/');
      if (rest.length > 0 || !name || !NAME.test(namespace) || !NAME.test(name) || (id !== undefined && !MODEL_ID.test(id))) {
        throw new Error(
          `AGENTS entry "${entry}" must be "<namespace>/<name>" or "<model id>=<namespace>/<name>", e.g. "kagent/jairix" or "research/scout=research/scout"`,
        );
      }
      return { id: id ?? name, namespace, name };
    });
  if (agents.length === 0) throw new Error('AGENTS is empty; set it to e.g. "kagent/jairix,kagent/azure-devops"');
  const ids = agents.map((a) => a.id);
  const twice = ids.find((n, i) => ids.indexOf(n) !== i);
  if (twice) throw new Error(`AGENTS names the model id "${twice}" twice; give one of them another id (<id>=<namespace>/<name>)`);
  return agents;
}

/** An IPv4 or IPv6 literal (a name would depend on the resolver). */
function listenHost(value: string | undefined): string {
  if (value === undefined || value.trim() === '') return '0.0.0.0';
  const host = value.trim();
  if (isIP(host) === 0) throw new Error(`HOST must be an IP address such as 127.0.0.1 or 0.0.0.0, got "${host}"`);
  return host;
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} must be a whole number ≥ 1, got "${value}"`);
  return parsed;
}

function a2aVersion(value: string | undefined): A2aVersionSetting {
  if (value === undefined || value === '') return 'auto';
  if (!(VERSIONS as readonly string[]).includes(value)) throw new Error(`A2A_VERSION must be one of ${VERSIONS.join(', ')}, got "${value}"`);
  return value as A2aVersionSetting;
}

const A2A_BASE_EXAMPLE = '"http://kagent-controller.kagent:8083/api/a2a"';

function a2aBaseUrl(value: string | undefined): string {
  if (!value) throw new Error(`A2A_BASE_URL is not set; set it to kagent's A2A base, e.g. ${A2A_BASE_EXAMPLE}`);
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new Error(`A2A_BASE_URL "${value}" is not an http(s) URL; set it to kagent's A2A base, e.g. ${A2A_BASE_EXAMPLE}`);
  }
  return value.replace(/\/+$/, '');
}

function userIdFrom(value: string | undefined): UserIdSource {
  if (value === undefined || value === '') return 'email';
  if (!(USER_ID_SOURCES as readonly string[]).includes(value)) throw new Error(`USER_ID_FROM must be one of ${USER_ID_SOURCES.join(', ')}, got "${value}"`);
  return value as UserIdSource;
}

function serviceUserId(value: string | undefined): string {
  if (value === undefined || value === '') return DEFAULT_SERVICE_USER_ID;
  const problem = serviceUserIdProblem(value);
  if (problem) throw new Error(`SERVICE_USER_ID ${problem}, got "${value}"`);
  return value;
}

function agents(value: string | undefined): AgentTarget[] {
  if (value === undefined) throw new Error('AGENTS is not set; set it to the agents to expose, e.g. "kagent/jairix,kagent/azure-devops"');
  return parseAgents(value);
}

/** The settings are wrong: `problems` holds one line per setting, to print as they are. */
export class BridgeConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** Reads the configuration from environment variables; a {@link BridgeConfigError} names every bad setting at once. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): BridgeConfig {
  const problems: string[] = [];
  /** The setting's value, or `fallback` after noting why it is wrong (so every problem is reported, not the first). */
  const read = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  };
  // In the order the problems are reported.
  const base = read(() => a2aBaseUrl(env.A2A_BASE_URL), '');
  const targets = read(() => agents(env.AGENTS), []);
  const allow = read(
    () =>
      parseAgentAllow(
        env.AGENT_ALLOW,
        targets.map((a) => a.id),
      ),
    new Map<string, AgentAllow>(),
  );
  const config: BridgeConfig = {
    a2aBaseUrl: base,
    agents: targets.map((a) => (allow.has(a.id) ? { ...a, allow: allow.get(a.id) } : a)),
    apiKeys: read(() => parseApiKeys(env.BRIDGE_API_KEYS), []),
    port: read(() => positiveInt('PORT', env.PORT, 8080), 0),
    host: read(() => listenHost(env.HOST), '0.0.0.0'),
    idleTimeoutMs: read(() => positiveInt('IDLE_TIMEOUT_MS', env.IDLE_TIMEOUT_MS, 300_000), 0),
    showToolCalls: env.SHOW_TOOL_CALLS === 'true',
    a2aVersion: read(() => a2aVersion(env.A2A_VERSION), 'auto'),
    upstreamMaxSockets: read(() => positiveInt('UPSTREAM_MAX_SOCKETS', env.UPSTREAM_MAX_SOCKETS, 1024), 0),
    shutdownGraceMs: read(() => positiveInt('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 25_000), 0),
    readyCacheMs: read(() => positiveInt('READY_CACHE_MS', env.READY_CACHE_MS, 5_000), 0),
    userIdFrom: read(() => userIdFrom(env.USER_ID_FROM), 'email'),
    serviceUserId: read(() => serviceUserId(env.SERVICE_USER_ID), DEFAULT_SERVICE_USER_ID),
  };
  if (problems.length > 0) throw new BridgeConfigError(problems);
  return config;
}

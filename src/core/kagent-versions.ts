import { VERSIONS } from './versions';

/**
 * The kagent chart versions this project renders, and what differs between them. Facts are from
 * kagent-dev/kagent at each tag (helm/kagent/{Chart-template.yaml,values.yaml,templates/}) and the charts'
 * dependencies (kagent-dev/tools, kagent-dev/kmcp); see /work/shared/reference/kagent-0.9.md.
 */

/** kagent's ports, the same in every supported chart: the controller's API (A2A, MCP) and each agent pod's A2A server. */
export const KAGENT_PORTS = { controller: 8083, agent: 8080 } as const;

/** Chart versions `KagentInstall` knows how to render, newest first. */
export const SUPPORTED_KAGENT_VERSIONS = ['0.9.12', '0.7.23'] as const;
export type KagentVersion = (typeof SUPPORTED_KAGENT_VERSIONS)[number];

/** The version `KagentInstall` installs unless told otherwise. */
export const DEFAULT_KAGENT_VERSION: KagentVersion = VERSIONS.kagent;

/** What one chart version reads and runs. */
export interface KagentVersionSpec {
  readonly version: KagentVersion;
  /**
   * Parent key of `<agent>.enabled` for the built-in agent subcharts: `agents` at 0.7, top level since 0.9.1
   * (PR #1697; Helm ignores the old keys, so every agent would come back).
   */
  readonly builtInAgentsKey?: 'agents';
  /** Parent key of `grafana-mcp.enabled` / `querydoc.enabled`: `tools` at 0.7, top level since 0.9.1. */
  readonly toolServersKey?: 'tools';
  /** SQLite in an emptyDir (`database.type: sqlite`); removed in 0.8. */
  readonly sqlite: boolean;
  /** `database.postgres.bundled.*` exists (and is on by default, with a hard-coded password). */
  readonly bundledPostgres: boolean;
  /**
   * `controller.streaming.timeout` bounds A2A streams at 0.7. At 0.9.12 it is `null` and ignored; the
   * controller's A2A client keeps a2a-go's fixed 3-minute timeout, and only the UI's stream timeouts are settable.
   */
  readonly streamingTimeoutKey: boolean;
  /** `ui.streamTimeoutSeconds` and `ui.nginx.proxy{Read,Send}Timeout` exist. */
  readonly uiStreamTimeouts: boolean;
  /** The controller's own cap on one call to an agent, if it has a fixed one. */
  readonly controllerCallTimeout?: string;
  /** `database.postgres.vectorEnabled` default (pgvector expected). */
  readonly postgresVectorDefault: boolean;
  /**
   * The controller ConfigMap renders `vectorEnabled | default true` (0.7), so `false` is lost and has to
   * reach the controller as a `DATABASE_VECTOR_ENABLED` env override.
   */
  readonly vectorDisableNeedsEnv: boolean;
  /** Default of the streaming/UI timeout knob. */
  readonly defaultStreamingTimeout: string;
  /** Agent card, relative to `<a2aUrl>/<ns>/<name>/`: trpc-a2a-go's `agent.json` at 0.7, a2a-go's `agent-card.json` at 0.9. */
  readonly agentCardPath: string;
  /** `kagent-tools` subchart (= its image tag, `ghcr.io/kagent-dev/kagent/tools`). */
  readonly kagentToolsVersion: string;
  /** `kmcp` subchart (= its image tag, `ghcr.io/kagent-dev/kmcp/controller`). */
  readonly kmcpVersion: string;
  /**
   * The controller container can run with a read-only root filesystem (0.9's own default). 0.7.23's chart
   * sets nothing and its SQLite (libsql) may need temp files outside the emptyDir, so it is left writable.
   */
  readonly controllerReadOnlyRootFilesystem: boolean;
  /** `kagent-tools` mounts an emptyDir at /tmp (0.2.x), so its root filesystem can be read-only. */
  readonly toolsReadOnlyRootFilesystem: boolean;
}

/** Per-version facts. */
export const KAGENT_VERSION_SPECS: Readonly<Record<KagentVersion, KagentVersionSpec>> = {
  '0.9.12': {
    version: '0.9.12',
    sqlite: false,
    bundledPostgres: true,
    streamingTimeoutKey: false,
    uiStreamTimeouts: true,
    controllerCallTimeout: '3m',
    postgresVectorDefault: false,
    vectorDisableNeedsEnv: false,
    defaultStreamingTimeout: '1800s',
    agentCardPath: '.well-known/agent-card.json',
    kagentToolsVersion: '0.2.1',
    kmcpVersion: '0.3.0',
    controllerReadOnlyRootFilesystem: true,
    toolsReadOnlyRootFilesystem: true,
  },
  '0.7.23': {
    version: '0.7.23',
    builtInAgentsKey: 'agents',
    toolServersKey: 'tools',
    sqlite: true,
    bundledPostgres: false,
    streamingTimeoutKey: true,
    uiStreamTimeouts: false,
    postgresVectorDefault: true,
    vectorDisableNeedsEnv: true,
    defaultStreamingTimeout: '600s',
    agentCardPath: '.well-known/agent.json',
    kagentToolsVersion: '0.1.1',
    kmcpVersion: '0.2.7',
    controllerReadOnlyRootFilesystem: false,
    toolsReadOnlyRootFilesystem: false,
  },
};

/** True if `version` is one this project renders. */
export function isSupportedKagentVersion(version: string): version is KagentVersion {
  return (SUPPORTED_KAGENT_VERSIONS as readonly string[]).includes(version);
}

/** The spec of a supported version; throws naming the supported ones otherwise. */
export function kagentVersionSpec(path: string, version: string): KagentVersionSpec {
  if (!isSupportedKagentVersion(version)) {
    throw new Error(
      `${path}: kagent version "${version}" is not supported; use one of ${SUPPORTED_KAGENT_VERSIONS.join(', ')} ` +
        '(their chart values differ, so each version is rendered and tested on purpose)',
    );
  }
  return KAGENT_VERSION_SPECS[version];
}

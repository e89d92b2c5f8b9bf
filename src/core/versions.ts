/**
 * Every pinned version of the platform, in one place. Bumping `kagent` moves both kagent charts (and the
 * images the chart derives from its version) together; see "Upgrading" in the README.
 */
export const VERSIONS = {
  /**
   * kagent charts `kagent-crds` and `kagent` (OCI, ghcr.io/kagent-dev/kagent/helm). Supported: 0.9.12 (default)
   * and 0.7.23 (the seed's); validation uses the selected version's CRD schemas and chart values.
   */
  kagent: '0.9.12',
  /** ToolHive charts `toolhive-operator-crds` and `toolhive-operator` (OCI, ghcr.io/stacklok/toolhive). */
  toolhive: '0.44.0',
  images: {
    ollama: 'ollama/ollama:0.32.15',
    openWebUi: 'ghcr.io/open-webui/open-webui:v0.11.0',
    /** Runs the A2A bridge bundle from a ConfigMap, so no private registry is needed. */
    node: 'node:24.21.0-alpine',
    searxng: 'searxng/searxng:2026.5.31-7159b8aed',
    mcpSearxng: 'isokoliuk/mcp-searxng:2.0.0',
    mcpGrafana: 'grafana/mcp-grafana:1.1.0',
    /** Built from docker/azure-devops-mcp/Dockerfile (@azure-devops/mcp 2.9.0); push it to your registry. */
    mcpAzureDevOps: 'ghcr.io/homelab/azure-devops-mcp:2.9.0',
    /** kagent's session database at 0.9 (the Debian image: the postgres user is uid 999). */
    postgres: 'postgres:18.3-trixie',
  },
} as const;

/** The shape of {@link VERSIONS}, so a config can override any of them. */
export type PlatformVersions = {
  readonly kagent: string;
  readonly toolhive: string;
  readonly images: { readonly [K in keyof typeof VERSIONS.images]: string };
};

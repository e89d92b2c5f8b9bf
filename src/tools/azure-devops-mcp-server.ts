import type { Construct } from 'constructs';
import { VERSIONS } from '../config/versions';
import type { TalosNamespace } from '../namespaces/talos-namespace';
import type { SecretKeyRef } from '../util/secret-ref';
import { McpServer } from './mcp-server';

/** Azure DevOps MCP domains (`-d`). */
export const AZURE_DEVOPS_DOMAINS = [
  'all', 'core', 'work', 'work-items', 'repositories', 'pipelines', 'wiki', 'search', 'test-plans', 'advanced-security', 'mcp-apps',
] as const;
export type AzureDevOpsDomain = (typeof AZURE_DEVOPS_DOMAINS)[number];

export interface AzureDevOpsMcpServerProps {
  /** Namespace (the seed uses `toolhive-system`). */
  readonly namespace: TalosNamespace;
  /** Organization name (not URL): the server builds `https://dev.azure.com/<organization>`. */
  readonly organization: string;
  /** Secret holding a PAT, passed as `ADO_MCP_AUTH_TOKEN` with `--authentication envvar`. */
  readonly patSecret: SecretKeyRef;
  /**
   * Tool domains to load.
   * @default - all domains
   */
  readonly domains?: readonly AzureDevOpsDomain[];
  /**
   * Image built from `docker/azure-devops-mcp/Dockerfile` (there is no official one).
   * @default VERSIONS.images.mcpAzureDevOps
   */
  readonly image?: string;
  /**
   * MCPServer name.
   * @default 'azure-devops'
   */
  readonly name?: string;
  /**
   * Tool allow-list (v2.9.0 tool names such as `wit_work_item`).
   * @default - all tools
   */
  readonly tools?: readonly string[];
}

/**
 * The Azure DevOps MCP server (npm `@azure-devops/mcp`, stdio only) behind ToolHive's streamable-http proxy:
 * `http://mcp-azure-devops-proxy.toolhive-system:8080/mcp`, as the seed found working.
 */
export class AzureDevOpsMcpServer extends McpServer {
  constructor(scope: Construct, id: string, props: AzureDevOpsMcpServerProps) {
    const path = `${scope.node.path}/${id}`;
    if (!props.organization?.trim()) {
      throw new Error(`${path}: organization is required (the name in https://dev.azure.com/<organization>), e.g. "contoso"`);
    }
    if (/[/:\s]/.test(props.organization)) {
      throw new Error(`${path}: organization "${props.organization}" must be the bare name, not a URL (e.g. "contoso", not "https://dev.azure.com/contoso")`);
    }
    if (!props.patSecret?.name || !props.patSecret?.key) {
      throw new Error(`${path}: patSecret must name the Secret and key holding the Azure DevOps PAT, e.g. { name: "azure-devops-pat", key: "pat" }`);
    }
    for (const domain of props.domains ?? []) {
      if (!AZURE_DEVOPS_DOMAINS.includes(domain)) {
        throw new Error(`${path}: domain "${domain}" is unknown; use some of ${AZURE_DEVOPS_DOMAINS.join(', ')}`);
      }
    }
    const domains = props.domains && props.domains.length > 0 ? ['-d', ...props.domains] : [];
    super(scope, id, {
      name: props.name ?? 'azure-devops',
      namespace: props.namespace,
      image: props.image ?? VERSIONS.images.mcpAzureDevOps,
      description: `Azure DevOps (organization ${props.organization}): work items, boards, repos, pipelines, wiki`,
      transport: 'stdio',
      proxyMode: 'streamable-http',
      args: [props.organization, '--authentication', 'envvar', ...domains],
      secrets: [{ ...props.patSecret, targetEnvName: 'ADO_MCP_AUTH_TOKEN', purpose: 'Azure DevOps personal access token' }],
      permissionProfile: 'network',
      tools: props.tools,
      resources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
    });
  }
}

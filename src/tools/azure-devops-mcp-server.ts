import type { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { NamespaceInput } from '../namespaces/namespace-input';
import type { SecretKeyRef } from '../core/secret-ref';
import {
  AZURE_DEVOPS_DOMAINS,
  AZURE_DEVOPS_MCP_VERSION,
  azureDevOpsDomainOf,
  azureDevOpsToolsFor,
  AZURE_DEVOPS_WRITE_TOOLS,
  enabledAzureDevOpsDomains,
  type AzureDevOpsDomain,
} from './azure-devops-tools';
import { McpServer } from './mcp-server';

export {
  AZURE_DEVOPS_DOMAINS,
  AZURE_DEVOPS_MCP_VERSION,
  AZURE_DEVOPS_TOOLS,
  azureDevOpsToolsFor,
  enabledAzureDevOpsDomains,
  type AzureDevOpsDomain,
  type AzureDevOpsTool,
  type AzureDevOpsToolDomain,
} from './azure-devops-tools';

export interface AzureDevOpsMcpServerProps {
  /** Namespace (the seed uses `toolhive-system`). */
  readonly namespace: NamespaceInput;
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
   * Tool allow-list: tool names of `@azure-devops/mcp` 2.9.0 in the selected domains, such as `wit_work_item`
   * (see `AZURE_DEVOPS_TOOLS`). Agents may name only these tools.
   * @default - every tool of the selected domains
   */
  readonly tools?: readonly string[];
}

/**
 * The Azure DevOps MCP server (npm `@azure-devops/mcp`, stdio only) behind ToolHive's streamable-http proxy:
 * `http://mcp-azure-devops-proxy.toolhive-system:8080/mcp`, as the seed found working.
 */
export class AzureDevOpsMcpServer extends McpServer {
  private readonly offeredTools: readonly string[];

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
    assertTools(path, props.tools, props.domains);
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
    this.offeredTools = props.tools ? [...props.tools] : azureDevOpsToolsFor(props.domains);
  }

  /**
   * Tools agents may use: the allow-list if given, else every tool the selected domains offer. `toKagent()`
   * passes them as `knownTools`, so a misspelt tool name in an agent fails at synth time.
   */
  public override get knownTools(): readonly string[] {
    return this.offeredTools;
  }

  /** The offered tools that change Azure DevOps: agents need a human's approval before each runs. */
  protected override get writeTools(): readonly string[] {
    return this.offeredTools.filter((tool) => AZURE_DEVOPS_WRITE_TOOLS.includes(tool));
  }
}

/** Throws unless every allow-listed tool is one the selected domains offer (a wrong name would hide nothing and allow nothing). */
function assertTools(path: string, tools: readonly string[] | undefined, domains: readonly AzureDevOpsDomain[] | undefined): void {
  if (!tools) return;
  const offered = azureDevOpsToolsFor(domains);
  const enabled = enabledAzureDevOpsDomains(domains);
  for (const tool of tools) {
    if (offered.includes(tool)) continue;
    const domain = azureDevOpsDomainOf(tool);
    throw new Error(
      domain
        ? `${path}: tools has "${tool}", which is in domain "${domain}", not among the enabled domains (${enabled.join(', ')}); add "${domain}" to domains or drop the tool`
        : `${path}: tools has "${tool}", which @azure-devops/mcp ${AZURE_DEVOPS_MCP_VERSION} does not offer; known in the enabled domains: ${offered.join(', ')}`,
    );
  }
}

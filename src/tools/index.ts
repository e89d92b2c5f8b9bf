export { ToolHiveOperator, type ToolHiveOperatorProps } from './toolhive-operator';
export { McpServer, type McpProxyMode, type McpSecretEnv, type McpServerProps, type McpTransport, type ToKagentOptions } from './mcp-server';
export { RemoteMcpServer, type McpProtocol, type RemoteMcpServerProps } from './remote-mcp-server';
export { AzureDevOpsMcpServer, type AzureDevOpsMcpServerProps } from './azure-devops-mcp-server';
export { AZURE_DEVOPS_TOOLS, type AzureDevOpsDomain, type AzureDevOpsTool } from './azure-devops-tools';
export { GrafanaMcpServer, type GrafanaMcpServerProps } from './grafana-mcp-server';
export { Searxng, type SearxngProps } from './searxng';
export { SearxngMcpServer, type SearxngMcpServerProps } from './searxng-mcp-server';

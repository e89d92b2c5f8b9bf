export * from './azure-devops-mcp-server';
export * from './grafana-mcp-server';
export * from './mcp-server';
export * from './remote-mcp-server';
export * from './searxng';
export * from './searxng-mcp-server';
export * from './toolhive-operator';

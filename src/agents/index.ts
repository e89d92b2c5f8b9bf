export * from './agent';
export type { AgentTool, McpToolSelection } from './agent-tool';
export * from './kagent-install';
export * from './kagent-postgres';
export * from './kagent-versions';
export * from './orchestrator';
export * from './system-prompt';
export * from './topology';

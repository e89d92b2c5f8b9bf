export { Agent, type AgentProps, type AgentSkill, type AgentTool, type AllowedNamespaces } from './agent';
export type { McpToolSelection } from './agent-tool';
export { Orchestrator, type OrchestratorProps } from './orchestrator';
export { inlinePrompt, promptFile, type PromptFileOptions, type SystemPrompt } from './system-prompt';
export { KagentInstall, type KagentBuiltInAgent, type KagentDatabase, type KagentInstallProps, type KagentToolServerAccess } from './kagent-install';
export { KagentPostgres, type KagentPostgresProps } from './kagent-postgres';

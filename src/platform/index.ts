export { AgentPlatform, type AddAgentOptions, type AgentPlatformOptions, type PlatformCharts } from './agent-platform';
export {
  AgentTeam,
  TEAM_RESOURCE_KINDS,
  type AgentTeamProps,
  type GrantMcpServerOptions,
  type McpServerPath,
  type TeamAgentProps,
  type TeamOrchestratorProps,
  type TeamQuota,
} from './agent-team';
export {
  Fleet,
  clusterConfig,
  runFleetSynth,
  synthesizeFleet,
  type FleetClusterProps,
  type FleetMember,
  type FleetProps,
  type FleetTeam,
  type FleetVersions,
  type SynthesizeFleetOptions,
} from './fleet';
export type { PlatformNamespaces } from './platform-namespaces';
export type { PlatformTools } from './configured-tools';

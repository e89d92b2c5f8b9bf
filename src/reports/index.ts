/**
 * The Markdown reports synthesized beside the manifests: the agent topology, the security posture, and the
 * Secrets to create before the first sync.
 * @module reports
 */
export { Topology, type TopologyProps } from './topology';
export { SecurityReport, type SecurityReportProps } from './security-report';
export { SecretsInventory, type SecretsInventoryProps } from './secrets-inventory';

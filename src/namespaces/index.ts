export { TalosNamespace, type TalosNamespaceProps } from './talos-namespace';
export { NamespaceFirewall, type FirewallRule, type KubernetesApiAccess, type NamespaceFirewallProps, type PeerSelector } from './namespace-firewall';
export type { NamespaceInput } from './namespace-input';

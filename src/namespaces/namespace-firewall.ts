import { k8s } from 'cdk8s-plus-29';
import { Construct } from 'constructs';
import type { TalosNamespace } from './talos-namespace';

/** Private ranges kept out of "internet" egress, so a tool server cannot wander the LAN. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10'];

/** Pods in a namespace, optionally narrowed by labels. */
export interface PeerSelector {
  /**
   * The namespace.
   * @default - any namespace
   */
  readonly namespace?: string;
  /**
   * Pod labels.
   * @default - every pod in the namespace
   */
  readonly podLabels?: Record<string, string>;
}

export interface FirewallRule {
  /** Short kebab-case name; the policy is `allow-<name>`. */
  readonly name: string;
  /** Why the path exists (kept as an annotation, listed in SECURITY.md). */
  readonly reason: string;
  /** TCP ports. */
  readonly ports: readonly number[];
  /**
   * Pods in this namespace the rule applies to.
   * @default - all pods
   */
  readonly podLabels?: Record<string, string>;
}

export interface NamespaceFirewallProps {
  /** The namespace to protect. */
  readonly namespace: TalosNamespace;
}

/**
 * Default-deny ingress and egress for a namespace, DNS allowed, and named allow rules on top. Standard
 * `networking.k8s.io/v1` NetworkPolicy (Cilium enforces it).
 */
export class NamespaceFirewall extends Construct {
  /** Returns true if `x` is a NamespaceFirewall. */
  public static isNamespaceFirewall(x: unknown): x is NamespaceFirewall {
    return x instanceof NamespaceFirewall;
  }

  public readonly namespace: string;
  private readonly _rules: Array<FirewallRule & { direction: 'ingress' | 'egress'; peer: string }> = [];

  constructor(scope: Construct, id: string, props: NamespaceFirewallProps) {
    super(scope, id);
    this.namespace = props.namespace.name;
    this.policy('default-deny', 'Nothing enters or leaves unless a rule below allows it', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    this.policy('allow-dns', 'Name resolution through the cluster DNS', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [
            { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
            { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
          ],
        },
      ],
    });
  }

  /** The allow rules, for documentation. */
  public get rules(): ReadonlyArray<FirewallRule & { direction: 'ingress' | 'egress'; peer: string }> {
    return [...this._rules];
  }

  /** Allows traffic in from `from` (pods in another or the same namespace). */
  public allowIngress(from: PeerSelector | 'anywhere', rule: FirewallRule): void {
    const peers = from === 'anywhere' ? undefined : [peer(from)];
    this.record('ingress', from === 'anywhere' ? 'anywhere' : describe(from), rule);
    this.policy(`allow-${rule.name}`, rule.reason, {
      podSelector: { matchLabels: rule.podLabels },
      policyTypes: ['Ingress'],
      ingress: [{ from: peers, ports: tcp(rule.ports) }],
    });
  }

  /** Allows traffic out to pods. */
  public allowEgress(to: PeerSelector, rule: FirewallRule): void {
    this.record('egress', describe(to), rule);
    this.policy(`allow-${rule.name}`, rule.reason, {
      podSelector: { matchLabels: rule.podLabels },
      policyTypes: ['Egress'],
      egress: [{ to: [peer(to)], ports: tcp(rule.ports) }],
    });
  }

  /** Allows traffic out to public addresses (private ranges excluded). */
  public allowInternetEgress(rule: FirewallRule): void {
    this.record('egress', 'internet', rule);
    this.policy(`allow-${rule.name}`, rule.reason, {
      podSelector: { matchLabels: rule.podLabels },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }], ports: tcp(rule.ports) }],
    });
  }

  /**
   * Allows traffic out to the Kubernetes API. Its address is per cluster (and Cilium matches node addresses
   * by entity, not ipBlock), so the rule allows the API ports to any destination.
   */
  public allowKubernetesApi(rule: Omit<FirewallRule, 'ports'>): void {
    const full = { ...rule, ports: [443, 6443] };
    this.record('egress', 'Kubernetes API', full);
    this.policy(`allow-${rule.name}`, rule.reason, {
      podSelector: { matchLabels: rule.podLabels },
      policyTypes: ['Egress'],
      egress: [{ ports: tcp(full.ports) }],
    });
  }

  private record(direction: 'ingress' | 'egress', peerText: string, rule: FirewallRule): void {
    if (this._rules.some((r) => r.name === rule.name)) {
      throw new Error(`${this.node.path}: rule "${rule.name}" is defined twice in namespace ${this.namespace}`);
    }
    this._rules.push({ ...rule, direction, peer: peerText });
  }

  private policy(name: string, reason: string, spec: k8s.NetworkPolicySpec): void {
    new k8s.KubeNetworkPolicy(this, name, {
      metadata: { name, namespace: this.namespace, annotations: { 'platform.agents/reason': reason } },
      spec,
    });
  }
}

function peer(selector: PeerSelector): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: selector.namespace ? { matchLabels: { 'kubernetes.io/metadata.name': selector.namespace } } : {},
    ...(selector.podLabels ? { podSelector: { matchLabels: selector.podLabels } } : {}),
  };
}

function describe(selector: PeerSelector): string {
  const labels = selector.podLabels ? ` (${Object.entries(selector.podLabels).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
  return `${selector.namespace ?? 'any namespace'}${labels}`;
}

function tcp(ports: readonly number[]): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }));
}

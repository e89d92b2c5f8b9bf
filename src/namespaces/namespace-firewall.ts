import { ApiObject } from 'cdk8s';
import { k8s } from '../core/k8s';
import { Construct } from 'constructs';
import { namespaceName, type NamespaceInput } from './namespace-input';
import { brand, isBranded } from '../core/brand';

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

/**
 * How pods reach the Kubernetes API server. Standard NetworkPolicy cannot name it portably: on Cilium its
 * endpoints carry the `kube-apiserver` entity, which an `ipBlock` does not match; elsewhere it is an address.
 */
export type KubernetesApiAccess =
  /** Cilium: a CiliumNetworkPolicy with `toEntities: [kube-apiserver]` (port 6443, where Talos serves it). */
  | { readonly cni: 'cilium'; readonly port?: number }
  /** Any other enforcing CNI (Calico, …): an ipBlock to the API server's addresses (`kubectl get endpoints kubernetes`). */
  | { readonly cni: 'other'; readonly cidrs: readonly string[]; readonly port: number };

export interface NamespaceFirewallProps {
  /** The namespace to protect. */
  readonly namespace: NamespaceInput;
  /**
   * How the API server is reached, for {@link NamespaceFirewall.allowKubernetesApi}.
   * @default { cni: 'cilium' }
   */
  readonly kubernetesApi?: KubernetesApiAccess;
}

/**
 * Default-deny ingress and egress for a namespace, DNS allowed, and named allow rules on top. Standard
 * `networking.k8s.io/v1` NetworkPolicy (Cilium enforces it).
 */
export class NamespaceFirewall extends Construct {
  /** Returns true if `x` is a NamespaceFirewall. */
  public static isNamespaceFirewall(x: unknown): x is NamespaceFirewall {
    return isBranded(x, 'NamespaceFirewall');
  }

  public readonly namespace: string;
  private readonly kubernetesApi: KubernetesApiAccess;
  private readonly _rules: Array<FirewallRule & { direction: 'ingress' | 'egress'; peer: string }> = [];

  constructor(scope: Construct, id: string, props: NamespaceFirewallProps) {
    super(scope, id);
    brand(this, 'NamespaceFirewall');
    this.namespace = namespaceName(props.namespace);
    this.kubernetesApi = props.kubernetesApi ?? { cni: 'cilium' };
    assertApiAccess(this, this.kubernetesApi);
    this.policy('default-deny', 'Nothing enters or leaves unless a rule below allows it', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    this.policy('allow-dns', 'Name resolution through the cluster DNS', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
          ],
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
   * Allows the pods `rule.podLabels` selects (never all pods by default) out to the Kubernetes API server,
   * and nowhere else: a CiliumNetworkPolicy to the `kube-apiserver` entity, or an ipBlock to its addresses.
   */
  public allowKubernetesApi(rule: Omit<FirewallRule, 'ports'> & { readonly podLabels: Record<string, string> }): void {
    const api = this.kubernetesApi;
    const port = api.port ?? 6443;
    this.record('egress', api.cni === 'cilium' ? 'Kubernetes API (Cilium entity kube-apiserver)' : `Kubernetes API (${api.cidrs.join(', ')})`, {
      ...rule,
      ports: [port],
    });
    const name = `allow-${rule.name}`;
    if (api.cni === 'other') {
      this.policy(name, rule.reason, {
        podSelector: { matchLabels: rule.podLabels },
        policyTypes: ['Egress'],
        egress: [{ to: api.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp([port]) }],
      });
      return;
    }
    new ApiObject(this, name, {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name, namespace: this.namespace, annotations: { 'platform.agents/reason': rule.reason } },
      spec: {
        endpointSelector: { matchLabels: rule.podLabels },
        egress: [{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: String(port), protocol: 'TCP' }] }] }],
      },
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

function assertApiAccess(scope: Construct, api: KubernetesApiAccess): void {
  const port = api.port ?? 6443;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${scope.node.path}: kubernetesApi.port must be a port number, got ${port}`);
  if (api.cni === 'other' && (api.cidrs.length === 0 || api.cidrs.some((c) => !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(c)))) {
    throw new Error(
      `${scope.node.path}: kubernetesApi.cidrs must list the API server addresses as CIDRs (e.g. ["192.168.1.10/32"]; see \`kubectl get endpoints kubernetes\`), got ${JSON.stringify(api.cidrs)}`,
    );
  }
}

function peer(selector: PeerSelector): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: selector.namespace ? { matchLabels: { 'kubernetes.io/metadata.name': selector.namespace } } : {},
    ...(selector.podLabels ? { podSelector: { matchLabels: selector.podLabels } } : {}),
  };
}

function describe(selector: PeerSelector): string {
  const labels = selector.podLabels
    ? ` (${Object.entries(selector.podLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')})`
    : '';
  return `${selector.namespace ?? 'any namespace'}${labels}`;
}

function tcp(ports: readonly number[]): k8s.NetworkPolicyPort[] {
  return ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' }));
}

import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { NamespaceFirewall } from '../../src/namespaces/namespace-firewall';
import { PlatformChart } from '../../src/core/platform-chart';

const chart = () => new PlatformChart(Testing.app(), 'ns', { folder: 'namespaces' });

describe('TalosNamespace', () => {
  it('enforces restricted by default with audit and warn restricted', () => {
    const c = chart();
    new TalosNamespace(c, 'a', { name: 'ollama-agents' });
    const [ns] = Testing.synth(c);
    expect(ns.metadata.labels).toEqual({
      'kubernetes.io/metadata.name': 'ollama-agents',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'latest',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'latest',
    });
    // Deleting an Application must never delete a namespace (and the volumes in it).
    expect(ns.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' });
  });

  it('records the reason for a weaker level', () => {
    const c = chart();
    new TalosNamespace(c, 'a', { name: 'open-webui', podSecurity: 'baseline', podSecurityReason: 'image runs as root', podSecurityVersion: 'v1.33' });
    const [ns] = Testing.synth(c);
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('baseline');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce-version']).toBe('v1.33');
    expect(ns.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false',
      'platform.agents/pod-security-reason': 'image runs as root',
    });
  });

  it('rejects a weaker level without a reason', () => {
    expect(() => new TalosNamespace(chart(), 'a', { name: 'x', podSecurity: 'privileged' })).toThrow(
      'ns/a: namespace "x" enforces "privileged" without a reason; set podSecurityReason to say which workload needs it, or use "restricted"',
    );
  });

  it('rejects an invalid name with a suggestion', () => {
    expect(() => new TalosNamespace(chart(), 'a', { name: 'Ollama_Agents' })).toThrow(
      'ns/a: name "Ollama_Agents" is not a valid Kubernetes name; use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. "ollama-agents")',
    );
  });
});

describe('NamespaceFirewall', () => {
  it('denies everything by default and allows DNS', () => {
    const c = chart();
    new NamespaceFirewall(c, 'fw', { namespace: new TalosNamespace(c, 'n', { name: 'app' }) });
    const policies = Testing.synth(c).filter((o) => o.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['default-deny', 'allow-dns']);
    expect(policies[0].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policies[1].spec.egress[0].ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 53, protocol: 'TCP' },
    ]);
  });

  it('renders internet egress without private ranges, and rejects a duplicate rule', () => {
    const c = chart();
    const fw = new NamespaceFirewall(c, 'fw', { namespace: new TalosNamespace(c, 'n', { name: 'app' }) });
    fw.allowInternetEgress({ name: 'web', reason: 'calls APIs', ports: [443] });
    const policy = Testing.synth(c).find((o) => o.metadata.name === 'allow-web');
    expect(policy.spec.egress[0].to[0].ipBlock.except).toContain('10.0.0.0/8');
    expect(policy.metadata.annotations['platform.agents/reason']).toBe('calls APIs');
    expect(() => fw.allowInternetEgress({ name: 'web', reason: 'again', ports: [80] })).toThrow('rule "web" is defined twice in namespace app');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { enforcedLevels } from '../../src/synth/publish';
import { podSecurityViolations } from '../../src/validation/pod-security-standard';
import { podsOf } from '../../src/validation/pod-templates';
import { REPO_ROOT, objectsOf, renderReference } from '../support/platform';

const files = renderReference();
const objects = objectsOf(files) as any[];
const levels = enforcedLevels(files);
const pods = objects.flatMap((o) => podsOf(o));
const workloads = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind));
const containersOf = (o: any) => [...(o.spec.template.spec.initContainers ?? []), ...o.spec.template.spec.containers];

describe('Pod Security', () => {
  it('every pod passes the level its namespace enforces', () => {
    expect(pods.length).toBeGreaterThanOrEqual(11);
    for (const pod of pods) {
      const level = levels.get(pod.namespace);
      expect(level, `${pod.source}: namespace has no enforce label`).toBeDefined();
      expect(podSecurityViolations(pod.spec, level!), pod.source).toEqual([]);
    }
  });

  it('at least 80% of pods pass restricted', () => {
    const restricted = pods.filter((p) => podSecurityViolations(p.spec, 'restricted').length === 0);
    expect(restricted.length / pods.length).toBeGreaterThanOrEqual(0.8);
  });

  it('the checker rejects what admission rejects', () => {
    expect(podSecurityViolations({ containers: [{ name: 'c', securityContext: { privileged: true } }] }, 'baseline')).toEqual([
      'container c: privileged is not allowed',
    ]);
    expect(podSecurityViolations({ volumes: [{ name: 'h', hostPath: { path: '/' } }], containers: [] }, 'baseline')).toEqual([
      'hostPath volumes are not allowed',
    ]);
    expect(podSecurityViolations({ containers: [{ name: 'c' }] }, 'restricted')).toEqual([
      'container c: allowPrivilegeEscalation must be false',
      'container c: runAsNonRoot must be true (pod or container)',
      'container c: seccompProfile must be RuntimeDefault or Localhost',
      'container c: capabilities must drop ALL',
    ]);
  });

  it('enforces restricted wherever the workload allows, and states the reason elsewhere', () => {
    for (const ns of objects.filter((o) => o.kind === 'Namespace')) {
      const level = ns.metadata.labels['pod-security.kubernetes.io/enforce'];
      if (level !== 'restricted') expect(ns.metadata.annotations['platform.agents/pod-security-reason'], ns.metadata.name).toBeTruthy();
    }
    expect(levels.get('ollama-agents')).toBe('restricted');
    expect(levels.get('searxng')).toBe('restricted');
  });
});

describe('network policies', () => {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const namespacesWithPods = new Set(
    objects.filter((o) => ['Deployment', 'StatefulSet', 'Job', 'Agent', 'MCPServer'].includes(o.kind)).map((o) => o.metadata.namespace),
  );

  it('default-denies ingress and egress and allows DNS in every namespace with pods', () => {
    for (const ns of namespacesWithPods) {
      const deny = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === 'default-deny');
      expect(deny?.spec, ns).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
      expect(
        policies.some((p) => p.metadata.namespace === ns && p.metadata.name === 'allow-dns'),
        ns,
      ).toBe(true);
    }
  });

  const allows = (ns: string, name: string) => policies.find((p) => p.metadata.namespace === ns && p.metadata.name === `allow-${name}`);

  it.each([
    ['open-webui', 'open-webui-to-bridge', 8080],
    ['open-webui', 'open-webui-to-ollama', 11434],
    ['open-webui', 'bridge-to-kagent', 8083],
    ['kagent', 'controller-from-bridge', 8083],
    ['kagent', 'agents-to-ollama', 11434],
    ['kagent', 'agents-to-toolhive', 8080],
    ['kagent', 'kagent-internal', 8080],
    ['ollama-agents', 'ollama-from-agents', 11434],
    ['ollama-agents', 'ollama-cloud', 443],
    ['toolhive-system', 'mcp-from-agents', 8080],
    ['toolhive-system', 'mcp-internet', 443],
    ['searxng', 'searxng-from-mcp', 8080],
    ['kagent', 'controller-to-postgres', 5432],
    ['kagent', 'postgres-from-controller', 5432],
    ['kagent', 'controller-from-open-webui', 8083],
    ['open-webui', 'open-webui-to-kagent', 8083],
    ['toolhive-system', 'mcp-to-grafana', 3000],
  ])('allows %s: %s on %i', (ns, name, port) => {
    const policy = allows(ns, name);
    expect(policy, `${ns}/allow-${name}`).toBeDefined();
    const rules = [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])];
    expect(rules.flatMap((r: any) => r.ports.map((p: any) => p.port))).toContain(port);
  });
});

it('gives every egress rule a destination and reaches the Kubernetes API only from the pods that need it', () => {
  for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    for (const rule of policy.spec.egress ?? []) expect(rule.to?.length, `${policy.metadata.namespace}/${policy.metadata.name}`).toBeGreaterThan(0);
  }
  const apiRules = objects.filter((o) => o.kind === 'CiliumNetworkPolicy');
  expect(apiRules.map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort()).toEqual([
    'kagent/allow-kagent-controller-kubernetes-api',
    'kagent/allow-kagent-tools-kubernetes-api',
    'toolhive-system/allow-toolhive-operator-kubernetes-api',
    'toolhive-system/allow-toolhive-proxy-kubernetes-api',
  ]);
  for (const rule of apiRules) {
    expect(Object.keys(rule.spec.endpointSelector.matchLabels).length, rule.metadata.name).toBeGreaterThan(0);
    expect(rule.spec.egress).toEqual([{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] }]);
  }
});

describe('secrets by reference only', () => {
  it('has no Secret objects and no secret values in dist/', () => {
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const tokenLike = [
      /ghp_[A-Za-z0-9]{20,}/,
      /sk-[A-Za-z0-9]{20,}/,
      /xox[bp]-/,
      /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
      /AKIA[0-9A-Z]{16}/,
      /eyJ[A-Za-z0-9_-]{10,}\.eyJ/,
      /glsa_[A-Za-z0-9]{20,}/,
    ];
    for (const file of files) for (const pattern of tokenLike) expect(file.content, `${file.path} matches ${pattern}`).not.toMatch(pattern);
  });

  it('lists every referenced Secret in SECRETS.md with a kubectl line', () => {
    const doc = files.find((f) => f.path === 'SECRETS.md')!.content;
    const referenced = new Set<string>();
    for (const o of objects) {
      const text = JSON.stringify(o);
      // Helm values mount Secrets in the chart's namespace, not the Application's.
      const namespace = o.kind === 'Application' ? o.spec.destination.namespace : o.metadata.namespace;
      for (const m of text.matchAll(/"secretName":"([^"]+)"|"secretKeyRef":\{"key":"[^"]+","name":"([^"]+)"\}|"apiKeySecret":"([^"]+)"/g))
        referenced.add(`${namespace}/${m[1] ?? m[2] ?? m[3]}`);
      for (const s of o.kind === 'MCPServer' ? (o.spec.secrets ?? []) : []) referenced.add(`${o.metadata.namespace}/${s.name}`);
    }
    expect(referenced.size).toBeGreaterThanOrEqual(5);
    for (const ref of referenced) {
      const [ns, name] = ref.split('/');
      expect(doc, ref).toContain(`kubectl -n ${ns} create secret generic ${name} `);
    }
  });
});

describe('hygiene', () => {
  it('pins every image to a tag that is not latest', () => {
    const images = [
      ...workloads.flatMap((w) => containersOf(w).map((c: any) => c.image)),
      ...objects.filter((o) => o.kind === 'MCPServer').map((o) => o.spec.image),
    ];
    for (const image of images) expect(image).toMatch(/:(?!latest$)[\w.-]+$|@sha256:/);
  });

  it('gives every container cpu/memory requests and a memory limit, and long-running ones a probe', () => {
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        expect(c.resources?.requests?.cpu, `${w.metadata.name}/${c.name}`).toBeDefined();
        expect(c.resources?.requests?.memory, `${w.metadata.name}/${c.name}`).toBeDefined();
        expect(c.resources?.limits?.memory, `${w.metadata.name}/${c.name}`).toBeDefined();
        if (w.kind !== 'Job') expect(c.readinessProbe ?? c.startupProbe, `${w.metadata.name}/${c.name}`).toBeDefined();
      }
    }
    for (const mcp of objects.filter((o) => o.kind === 'MCPServer')) expect(mcp.spec.resources.limits.memory).toBeDefined();
    for (const agent of objects.filter((o) => o.kind === 'Agent')) expect(agent.spec.declarative.deployment.resources.limits.memory).toBeDefined();
  });

  it('does not automount service account tokens in pods that do not call the API', () => {
    for (const w of workloads) expect(w.spec.template.spec.automountServiceAccountToken, w.metadata.name).toBe(false);
    for (const sa of objects.filter((o) => o.kind === 'ServiceAccount')) expect(sa.automountServiceAccountToken).toBe(false);
  });
});

describe('SECURITY.md', () => {
  it('contains the generated Pod Security and network tables', () => {
    const generated = files.find((f) => f.path === 'SECURITY.md')!.content;
    expect(readFileSync(join(REPO_ROOT, 'SECURITY.md'), 'utf8')).toContain(generated);
    expect(generated).toContain('| open-webui | baseline | restricted | the Open WebUI image runs as root');
    expect(generated).toContain('| toolhive-system | egress | internet | 443 |');
  });
});

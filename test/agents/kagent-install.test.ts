import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { KagentInstall, type KagentInstallProps } from '../../src/agents/kagent-install';
import { AppOfApps } from '../../src/gitops/app-of-apps';
import { Ollama } from '../../src/models/ollama';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/synth/platform-chart';
import { ToolHiveOperator } from '../../src/tools/toolhive-operator';

function install(props: Partial<KagentInstallProps> = {}) {
  const app = Testing.app();
  const chart = new PlatformChart(app, 'argocd', { folder: 'argocd', namespace: 'argocd' });
  const gitops = new AppOfApps(chart, 'gitops', { git: { repoUrl: 'https://example.com/lab.git', targetRevision: 'main', basePath: 'dist' }, folder: 'argocd' });
  const ns = new TalosNamespace(chart, 'ns', { name: 'kagent' });
  const ollama = new Ollama(chart, 'ollama', { namespace: new TalosNamespace(chart, 'o', { name: 'ollama-agents' }), numParallel: 2, models: ['kimi-k2.6:cloud'] });
  const kagent = new KagentInstall(chart, 'kagent', { gitops, namespace: ns, ollama, defaultModel: 'kimi-k2.6:cloud', ...props });
  const apps = Testing.synth(chart).filter((o: any) => o.kind === 'Application');
  return { kagent, gitops, chart, ns, apps, app: (name: string) => apps.find((a: any) => a.metadata.name === name) };
}

describe('KagentInstall', () => {
  it('installs both charts at one version with Ollama as the default provider and built-in agents off', () => {
    const { app, kagent } = install({ builtInAgents: ['k8s-agent'], a2aBaseUrl: 'https://kagent.lab.example', streamingTimeout: '900s' });
    expect(app('kagent-crds').spec.source).toMatchObject({ repoURL: 'oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds', targetRevision: '0.7.23' });
    const values = app('kagent').spec.source.helm.valuesObject;
    expect(app('kagent').spec.source.helm.releaseName).toBe('kagent');
    expect(values.providers).toEqual({ default: 'ollama', ollama: { provider: 'Ollama', model: 'kimi-k2.6:cloud', config: { host: 'http://ollama.ollama-agents.svc.cluster.local:11434' } } });
    expect(values.agents['k8s-agent']).toEqual({ enabled: true });
    expect(values.agents['istio-agent']).toEqual({ enabled: false });
    expect(values.controller).toMatchObject({ a2aBaseUrl: 'https://kagent.lab.example', streaming: { timeout: '900s' } });
    expect(values.database).toEqual({ type: 'sqlite' });
    expect(kagent.a2aUrl).toBe('http://kagent-controller.kagent:8083/api/a2a');
  });

  it('mounts a Postgres URL from a Secret', () => {
    const values = install({ database: { type: 'postgres', urlSecret: { name: 'kagent-pg', key: 'url' } } }).app('kagent').spec.source.helm.valuesObject;
    expect(values.database).toEqual({ type: 'postgres', postgres: { urlFile: '/etc/kagent/postgres/url' } });
    expect(values.controller.volumes).toEqual([{ name: 'postgres-url', secret: { secretName: 'kagent-pg', items: [{ key: 'url', path: 'url' }] } }]);
    expect(values.controller.volumeMounts).toEqual([{ name: 'postgres-url', mountPath: '/etc/kagent/postgres', readOnly: true }]);
  });

  it.each([
    [{ version: '0.7.x' }, 'version "0.7.x" must be an exact chart version such as "0.7.23"'],
    [{ defaultModel: 'llama3.2' }, 'defaultModel "llama3.2" is not declared on the Ollama server; add it to its models'],
    [{ builtInAgents: ['k9s-agent' as never] }, 'builtInAgents has unknown agent "k9s-agent"'],
    [{ streamingTimeout: 'ten minutes' }, 'streamingTimeout "ten minutes" must be a duration such as "600s" or "10m"'],
  ])('rejects %o', (props, message) => {
    expect(() => install(props as Partial<KagentInstallProps>)).toThrow(`argocd/kagent: ${message}`);
  });
});

describe('ToolHiveOperator', () => {
  it('installs the CRD chart server-side and the operator with typed RBAC scope', () => {
    const { gitops, chart, ns } = install();
    new ToolHiveOperator(chart, 'toolhive', { gitops, namespace: ns, rbacScope: 'namespace', allowedNamespaces: ['toolhive-system'] });
    const apps = Testing.synth(chart).filter((o: any) => o.kind === 'Application');
    const crds = apps.find((a: any) => a.metadata.name === 'toolhive-operator-crds');
    const operator = apps.find((a: any) => a.metadata.name === 'toolhive-operator');
    expect(crds.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(crds.spec.source.targetRevision).toBe('0.44.0');
    expect(operator.spec.source.helm.valuesObject.operator.rbac).toEqual({ scope: 'namespace', allowedNamespaces: ['toolhive-system'] });
    expect(() => new ToolHiveOperator(chart, 'bad', { gitops, namespace: ns, allowedNamespaces: ['x'] })).toThrow('argocd/bad: allowedNamespaces only applies with rbacScope "namespace"');
  });
});

import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { KAGENT_BUILT_IN_AGENTS, KagentInstall, type KagentInstallProps } from '../../src/agents/kagent-install';
import { KagentPostgres } from '../../src/agents/kagent-postgres';
import { SUPPORTED_KAGENT_VERSIONS } from '../../src/core/kagent-versions';
import { AppOfApps } from '../../src/gitops/app-of-apps';
import { Ollama } from '../../src/models/ollama';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/core/platform-chart';
import { renderSecrets } from '../../src/reports/secrets-inventory';
import { ToolHiveOperator } from '../../src/tools/toolhive-operator';

type Props = Partial<KagentInstallProps> & { withPostgres?: boolean };

function install(props: Props = {}) {
  const app = Testing.app();
  const chart = new PlatformChart(app, 'argocd', { folder: 'argocd', namespace: 'argocd' });
  const gitops = new AppOfApps(chart, 'gitops', {
    git: { repoUrl: 'https://example.com/lab.git', targetRevision: 'main', basePath: 'dist' },
    folder: 'argocd',
  });
  const ns = new TalosNamespace(chart, 'ns', { name: 'kagent' });
  const ollama = new Ollama(chart, 'ollama', {
    namespace: new TalosNamespace(chart, 'o', { name: 'ollama-agents' }),
    numParallel: 2,
    models: ['kimi-k2.6:cloud'],
  });
  const { withPostgres, ...rest } = props;
  const version = rest.version ?? '0.9.12';
  const postgres = (withPostgres ?? version === '0.9.12') ? new KagentPostgres(chart, 'pg', { namespace: 'kagent' }) : undefined;
  const database = rest.database ?? (postgres ? { type: 'postgres' as const, server: postgres } : undefined);
  const kagent = new KagentInstall(chart, 'kagent', { namespace: ns, ollama, defaultModel: 'kimi-k2.6:cloud', database, ...rest });
  gitops.addHelmReleases(kagent.helmReleases);
  const apps = Testing.synth(chart).filter((o: any) => o.kind === 'Application');
  const app_ = (name: string) => apps.find((a: any) => a.metadata.name === name);
  return { kagent, gitops, chart, ns, app: app_, values: app_('kagent').spec.source.helm.valuesObject, root: app };
}

describe('KagentInstall versions', () => {
  it('defaults to 0.9.12 and drives both charts with one version', () => {
    const { app, kagent } = install({ version: undefined });
    expect(kagent.version).toBe('0.9.12');
    expect(app('kagent-crds').spec.source).toMatchObject({ repoURL: 'oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds', targetRevision: '0.9.12' });
    expect(app('kagent').spec.source).toMatchObject({ repoURL: 'oci://ghcr.io/kagent-dev/kagent/helm/kagent', targetRevision: '0.9.12' });
    expect(app('kagent').spec.source.helm.releaseName).toBe('kagent');
  });

  it.each(['0.7.22', '0.9.11', '0.10.0', 'latest'])('rejects unsupported version %s, naming the supported ones', (version) => {
    expect(() => install({ version })).toThrow(`argocd/kagent: kagent version "${version}" is not supported; use one of 0.9.12, 0.7.23`);
  });

  it.each([
    ['0.9.12', '.well-known/agent-card.json', '3m'],
    ['0.7.23', '.well-known/agent.json', '600s'],
  ])('%s exposes endpoints, card path %s and call timeout %s', (version, card, callTimeout) => {
    const { kagent } = install({ version });
    expect(kagent.controllerUrl).toBe('http://kagent-controller.kagent:8083');
    expect(kagent.a2aUrl).toBe('http://kagent-controller.kagent:8083/api/a2a');
    expect(kagent.mcpUrl).toBe('http://kagent-controller.kagent:8083/mcp');
    expect(kagent.toolsUrl).toBe('http://kagent-tools.kagent:8084/mcp');
    expect(kagent.agentCardPath).toBe(card);
    expect(kagent.agentCardUrl('team', 'po')).toBe(`http://kagent-controller.kagent:8083/api/a2a/team/po/${card}`);
    expect(kagent.a2aCallTimeout).toBe(callTimeout);
    expect(kagent.controllerPodLabels).toEqual({
      'app.kubernetes.io/name': 'kagent',
      'app.kubernetes.io/instance': 'kagent',
      'app.kubernetes.io/component': 'controller',
    });
    expect(kagent.toolsPodLabels).toEqual({ 'app.kubernetes.io/name': 'kagent-tools', 'app.kubernetes.io/instance': 'kagent' });
    expect(kagent.uiPodLabels).toEqual({ 'app.kubernetes.io/name': 'kagent', 'app.kubernetes.io/instance': 'kagent', 'app.kubernetes.io/component': 'ui' });
  });

  it('takes a namespace given by name', () => {
    const { kagent } = install({ namespace: 'agents-system', database: { type: 'postgres', urlSecret: { name: 'pg', key: 'url' } } });
    expect(kagent.namespace).toBe('agents-system');
    expect(kagent.a2aUrl).toBe('http://kagent-controller.agents-system:8083/api/a2a');
  });
});

describe('KagentInstall least privilege at 0.9.12', () => {
  it('turns every built-in agent, grafana-mcp and querydoc off with the top-level keys', () => {
    const { values } = install();
    for (const agent of KAGENT_BUILT_IN_AGENTS) expect(values[agent]).toEqual({ enabled: false });
    expect(values['grafana-mcp']).toEqual({ enabled: false });
    expect(values.querydoc).toEqual({ enabled: false });
    expect(values.agents).toBeUndefined();
    expect(values.tools).toBeUndefined();
  });

  it('keeps the listed built-in agents and tool servers, pinning the Grafana MCP image', () => {
    const { values } = install({ builtInAgents: ['k8s-agent', 'observability-agent'], grafanaMcp: true, querydoc: true });
    expect(values['k8s-agent']).toEqual({ enabled: true });
    expect(values['observability-agent']).toEqual({ enabled: true });
    expect(values['istio-agent']).toEqual({ enabled: false });
    expect(values['grafana-mcp']).toEqual({ enabled: true, image: { registry: 'docker.io', repository: 'grafana/mcp-grafana', tag: '1.1.0' } });
    expect(values.querydoc).toEqual({ enabled: true });
  });

  it('runs the tool server read-only by default: read-only ClusterRole and --read-only', () => {
    const { values, kagent } = install();
    expect(kagent.toolServer).toBe('read-only');
    expect(values['kagent-tools']).toEqual({
      enabled: true,
      rbac: { readOnly: true },
      tools: { image: { registry: 'ghcr.io', tag: '0.2.1' }, args: ['--read-only'] },
    });
  });

  it('grants write access only with toolServer "cluster-admin", and can drop the tool server', () => {
    expect(install({ toolServer: 'cluster-admin' }).values['kagent-tools']).toEqual({
      enabled: true,
      rbac: { readOnly: false },
      tools: { image: { registry: 'ghcr.io', tag: '0.2.1' } },
    });
    const off = install({ toolServer: 'off' });
    expect(off.values['kagent-tools']).toEqual({ enabled: false });
    expect(() => off.kagent.toolsUrl).toThrow('argocd/kagent: toolsUrl is unavailable because toolServer is "off"');
  });

  it('runs the controller non-root and restricted through controller.securityContext / podSecurityContext', () => {
    const { values } = install();
    expect(values.controller.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values.controller.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    // 0.9's own restricted top-level defaults stay in force for the UI.
    expect(values.podSecurityContext).toBeUndefined();
    expect(values.securityContext).toBeUndefined();
  });

  it('pins every kagent image to the version on ghcr.io, and kagent-tools and kmcp to their subchart versions', () => {
    const { values } = install();
    expect(values.registry).toBe('ghcr.io');
    expect(values.tag).toBe('0.9.12');
    // The chart reads the top-level tag before a component's own: per-component image keys would be ignored.
    for (const image of [values.controller.image, values.controller.agentImage, values.controller.skillsInitImage, values.ui.image])
      expect(image).toBeUndefined();
    expect(values.kmcp).toEqual({ image: { tag: '0.3.0' } });
  });

  it('sets the default model options as a whole, with num_ctx', () => {
    expect(install().values.providers).toEqual({
      default: 'ollama',
      ollama: {
        provider: 'Ollama',
        model: 'kimi-k2.6:cloud',
        config: { host: 'http://ollama.ollama-agents.svc.cluster.local:11434', options: { num_ctx: '32768' } },
      },
    });
    expect(install({ defaultModelOptions: { num_ctx: '8192', temperature: '0.2' } }).values.providers.ollama.config.options).toEqual({
      num_ctx: '8192',
      temperature: '0.2',
    });
  });

  it('sets the UI stream timeouts (no controller.streaming, which 0.9 ignores)', () => {
    expect(install().values.ui).toEqual({ streamTimeoutSeconds: 1800, nginx: { proxyReadTimeout: '1800s', proxySendTimeout: '1800s' } });
    const { values } = install({ streamingTimeout: '15m', a2aBaseUrl: 'https://kagent.lab.example' });
    expect(values.ui).toMatchObject({ streamTimeoutSeconds: 900, nginx: { proxyReadTimeout: '900s', proxySendTimeout: '900s' } });
    expect(values.controller.a2aBaseUrl).toBe('https://kagent.lab.example');
    expect(values.controller.streaming).toBeUndefined();
  });
});

describe('KagentInstall database at 0.9.12', () => {
  it('points the chart at a KagentPostgres through a mounted URL file and turns the bundled one off', () => {
    const { values, root } = install();
    expect(values.database).toEqual({ postgres: { urlFile: '/etc/kagent/postgres/url', vectorEnabled: false, bundled: { enabled: false } } });
    expect(values.controller.volumes).toEqual([{ name: 'postgres-url', secret: { secretName: 'kagent-postgres', items: [{ key: 'url', path: 'url' }] } }]);
    expect(values.controller.volumeMounts).toEqual([{ name: 'postgres-url', mountPath: '/etc/kagent/postgres', readOnly: true }]);
    expect(values.controller.env).toBeUndefined();
    const secrets = renderSecrets(root);
    expect(secrets).toContain('| kagent | kagent-postgres | password |');
    expect(secrets).toContain(
      '| kagent | kagent-postgres | url | kagent database URL: postgres://kagent:<password>@kagent-postgres.kagent.svc.cluster.local:5432/kagent?sslmode=disable',
    );
  });

  it('takes an external database URL Secret, listed in SECRETS.md, with vector support when asked', () => {
    const { values, root } = install({ withPostgres: false, database: { type: 'postgres', urlSecret: { name: 'ext-pg', key: 'dsn' }, vectorEnabled: true } });
    expect(values.database).toEqual({ postgres: { urlFile: '/etc/kagent/postgres/url', vectorEnabled: true, bundled: { enabled: false } } });
    expect(values.controller.volumes[0].secret).toEqual({ secretName: 'ext-pg', items: [{ key: 'dsn', path: 'url' }] });
    expect(renderSecrets(root)).toContain('| kagent | ext-pg | dsn | kagent PostgreSQL connection URL |');
  });

  it('never renders a database password or URL', () => {
    const { values } = install();
    const text = JSON.stringify(values);
    expect(text).not.toMatch(/postgres:\/\//);
    expect(text).not.toContain('POSTGRES_PASSWORD');
  });

  it.each([
    [{ withPostgres: false }, 'kagent 0.9.12 needs a database: set database to { type: "postgres", server: new KagentPostgres(...) }'],
    [{ database: { type: 'sqlite' as const } }, 'database "sqlite" was removed in kagent 0.8; on 0.9.12 use'],
  ])('rejects %o', (props, message) => {
    expect(() => install(props as Props)).toThrow(`argocd/kagent: ${message}`);
  });

  it("rejects a KagentPostgres outside kagent's namespace", () => {
    const app = Testing.app();
    const chart = new PlatformChart(app, 'argocd', { folder: 'argocd', namespace: 'argocd' });
    const ollama = new Ollama(chart, 'ollama', { namespace: 'ollama', models: ['m:1'] });
    const server = new KagentPostgres(chart, 'pg', { namespace: 'databases' });
    expect(() => new KagentInstall(chart, 'kagent', { namespace: 'kagent', ollama, defaultModel: 'm:1', database: { type: 'postgres', server } })).toThrow(
      'argocd/kagent: database.server "argocd/pg" is in namespace "databases", not "kagent"',
    );
  });
});

describe('KagentInstall at 0.7.23', () => {
  const v07 = (props: Props = {}) => install({ version: '0.7.23', ...props });

  it('uses the 0.7 keys for agents and tool servers', () => {
    const { values } = v07({ builtInAgents: ['k8s-agent'] });
    expect(values.agents['k8s-agent']).toEqual({ enabled: true });
    expect(values.agents['istio-agent']).toEqual({ enabled: false });
    expect(Object.keys(values.agents).sort()).toEqual([...KAGENT_BUILT_IN_AGENTS].sort());
    expect(values.tools).toEqual({ 'grafana-mcp': { enabled: false }, querydoc: { enabled: false } });
    expect(values['k8s-agent']).toBeUndefined();
    expect(values['grafana-mcp']).toBeUndefined();
    expect(values.querydoc).toBeUndefined();
  });

  it('keeps SQLite as the default and controller.streaming.timeout', () => {
    const { values } = v07({ streamingTimeout: '900s' });
    expect(values.database).toEqual({ type: 'sqlite' });
    expect(values.controller.streaming).toEqual({ timeout: '900s' });
    expect(values.ui).toBeUndefined();
    expect(v07().values.controller.streaming).toEqual({ timeout: '600s' });
  });

  it('restricts the controller (writable root for SQLite) and the 0.1 tool server, which the chart leaves open', () => {
    const { values } = v07();
    expect(values.controller.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: false,
      runAsNonRoot: true,
      runAsUser: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(values['kagent-tools']).toMatchObject({
      rbac: { readOnly: true },
      tools: { args: ['--read-only'], image: { registry: 'ghcr.io', tag: '0.1.1' } },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65532, seccompProfile: { type: 'RuntimeDefault' } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true },
    });
    expect(values.podSecurityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(values.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(values.kmcp).toEqual({ image: { tag: '0.2.7' } });
    expect(values.tag).toBe('0.7.23');
    expect(values.controller.agentImage).toBeUndefined();
  });

  it('mounts a Postgres URL; vector support off reaches the controller as an env override', () => {
    const external = v07({ database: { type: 'postgres', urlSecret: { name: 'kagent-pg', key: 'url' } } }).values;
    // 0.7 renders `vectorEnabled | default true`: the key is left out, the env override says false.
    expect(external.database).toEqual({ type: 'postgres', postgres: { urlFile: '/etc/kagent/postgres/url' } });
    expect(external.controller.env).toBeUndefined();
    const owned = v07({ withPostgres: true });
    expect(owned.values.database).toEqual({ type: 'postgres', postgres: { urlFile: '/etc/kagent/postgres/url' } });
    expect(owned.values.controller.env).toEqual([{ name: 'DATABASE_VECTOR_ENABLED', value: 'false' }]);
  });
});

describe('KagentInstall rejects bad input', () => {
  it.each([
    [{ defaultModel: 'llama3.2' }, 'defaultModel "llama3.2" is not declared on the Ollama server; add it to its models'],
    [{ builtInAgents: ['k9s-agent' as never] }, 'builtInAgents has unknown agent "k9s-agent"'],
    [{ builtInAgents: ['k8s-agent' as const], toolServer: 'off' as const }, 'builtInAgents k8s-agent use kagent\'s tool server, but toolServer is "off"'],
    [{ builtInAgents: ['observability-agent' as const] }, "builtInAgents observability-agent uses the chart's Grafana MCP server; set grafanaMcp: true"],
    [{ toolServer: 'admin' as never }, 'toolServer "admin" is not one of read-only, cluster-admin, off'],
    [{ streamingTimeout: 'ten minutes' }, 'streamingTimeout "ten minutes" must be a duration such as "600s" or "10m"'],
    [{ defaultModelOptions: { temperature: '0.1' } }, 'defaultModelOptions must set num_ctx'],
    [{ defaultModelOptions: { num_ctx: 8192 as never } }, 'defaultModelOptions.num_ctx must be a string'],
    [{ grafanaMcp: true, grafanaMcpImage: 'mcp/grafana:latest' }, 'grafanaMcpImage "mcp/grafana:latest" is not pinned'],
  ])('rejects %o', (props, message) => {
    expect(() => install(props as Props)).toThrow(`argocd/kagent: ${message}`);
  });

  it('lists exactly the supported versions', () => {
    expect(SUPPORTED_KAGENT_VERSIONS).toEqual(['0.9.12', '0.7.23']);
  });
});

describe('ToolHiveOperator', () => {
  it('installs the CRD chart server-side and the operator with typed RBAC scope', () => {
    const { gitops, chart, ns } = install();
    gitops.addHelmReleases(
      new ToolHiveOperator(chart, 'toolhive', { namespace: ns, rbacScope: 'namespace', allowedNamespaces: ['toolhive-system'] }).helmReleases,
    );
    const apps = Testing.synth(chart).filter((o: any) => o.kind === 'Application');
    const crds = apps.find((a: any) => a.metadata.name === 'toolhive-operator-crds');
    const operator = apps.find((a: any) => a.metadata.name === 'toolhive-operator');
    expect(crds.spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    expect(crds.spec.source.targetRevision).toBe('0.44.0');
    expect(operator.spec.source.helm.valuesObject.operator.rbac).toEqual({ scope: 'namespace', allowedNamespaces: ['toolhive-system'] });
    expect(() => new ToolHiveOperator(chart, 'bad', { namespace: ns, allowedNamespaces: ['x'] })).toThrow(
      'argocd/bad: allowedNamespaces only applies with rbacScope "namespace"',
    );
  });
});

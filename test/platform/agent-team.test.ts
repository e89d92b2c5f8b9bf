import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AgentPlatform, AgentTeam, RemoteMcpServer, TEAM_RESOURCE_KINDS, type PlatformConfigInput } from '../../src';
import { Construct } from 'constructs';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { checkTree } from '../../src/synth/publish';
import { renderTree, type RenderedFile } from '../../src/synth/render-tree';
import { find, objectsOf } from '../support/platform';

const BUNDLE = 'console.log("bridge")';

/** A platform with shared Ollama, ToolHive (SearXNG, Azure DevOps), kagent's tools and one remote MCP server. */
const SHARED: PlatformConfigInput = {
  gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
  ollama: {},
  models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
  kagent: { tools: true },
  searxng: { secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } },
  azureDevOps: { organization: 'contoso', patSecret: { name: 'azure-devops-pat', key: 'pat' } },
  remoteMcpServers: [{ name: 'handbook', url: 'http://handbook-mcp.docs:8080/mcp', description: 'Internal handbook' }],
};

const prompt = inlinePrompt('You help.');

function platform(config: PlatformConfigInput = SHARED) {
  const app = Testing.app();
  return { app, platform: new AgentPlatform(app, 'p', config, { bridgeBundle: BUNDLE }) };
}

/** Two teams: research is granted SearXNG, delivery Azure DevOps; each has its own model and agents. */
function twoTeams() {
  const { app, platform: p } = platform();
  const research = new AgentTeam(p, 'research', {
    name: 'research',
    quota: { agentPods: 4, memoryRequestPerAgent: '512Mi', memoryLimitPerAgent: '2Gi', cpuRequestPerAgent: '250m' },
  });
  const searx = research.grantMcpServer(p.mcpServer('searxng'));
  const model = research.addModel('qwen', { provider: 'ollama', model: 'qwen3:14b' });
  const scout = research.addAgent('scout', { name: 'scout', description: 'Searches the web', systemPrompt: prompt, modelConfig: model, tools: [searx] });
  research.addOrchestrator('lead', { name: 'lead', description: 'Routes research', modelConfig: model, delegates: [scout] });
  const delivery = new AgentTeam(p, 'delivery', {
    name: 'delivery',
    namespace: 'team-delivery',
    tools: [p.mcpServer('azure-devops')],
    models: { kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud' } },
  });
  delivery.addAgent('po', {
    name: 'po',
    description: 'Writes user stories',
    systemPrompt: prompt,
    modelConfig: delivery.model('kimi'),
    tools: [delivery.mcpServer('azure-devops')],
  });
  return { app, platform: p, research, delivery, files: renderTree(app) };
}

const policies = (files: readonly RenderedFile[], namespace: string) =>
  objectsOf(files).filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === namespace) as any[];
const policy = (files: readonly RenderedFile[], namespace: string, name: string) => find(files, 'NetworkPolicy', name, namespace);
const peerNamespaces = (rule: any) => (rule.to ?? rule.from ?? []).map((p: any) => p.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name']);

describe('AgentTeam on a shared platform', () => {
  const { files, platform: p } = twoTeams();

  it('synthesizes and validates (schemas, Pod Security, namespaces, duplicates)', () => {
    expect(checkTree(files)).toEqual([]);
  });

  it('writes each team into its own folders', () => {
    const folders = [...new Set(files.map((f) => f.path.split('/').slice(0, -1).join('/')))].filter((f) => f.startsWith('teams/')).sort();
    expect(folders).toEqual(['teams/delivery/agents', 'teams/delivery/namespace', 'teams/research/agents', 'teams/research/namespace']);
    expect(files.filter((f) => f.path.startsWith('teams/research/agents/')).map((f) => f.path)).toEqual([
      'teams/research/agents/agent-lead.yaml',
      'teams/research/agents/agent-scout.yaml',
      'teams/research/agents/modelconfig-ollama-qwen3-14b.yaml',
      'teams/research/agents/remotemcpserver-searxng.yaml',
    ]);
  });

  it('gives each team a restricted namespace (defaults to the team name, or props.namespace)', () => {
    expect(find(files, 'Namespace', 'research').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'platform.agents/team': 'research',
    });
    expect(find(files, 'Namespace', 'team-delivery').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(find(files, 'Agent', 'po', 'team-delivery').spec.declarative.modelConfig).toBe('ollama-kimi-k2-6-cloud');
  });

  it('points team models at the shared Ollama, which pulls them', () => {
    expect(find(files, 'ModelConfig', 'ollama-qwen3-14b', 'research').spec.ollama.host).toBe(p.ollama!.url);
    expect(find(files, 'Job', 'ollama-pull-models', 'ollama').spec.template.spec.containers[0].command.join(' ')).toContain('qwen3:14b');
  });

  it('registers granted MCP servers in the team namespace with the shared endpoint', () => {
    const registration = find(files, 'RemoteMCPServer', 'searxng', 'research');
    expect(registration.spec.url).toBe(find(files, 'RemoteMCPServer', 'searxng', 'kagent').spec.url);
    expect(
      objectsOf(files)
        .filter((o) => o.kind === 'RemoteMCPServer' && o.metadata?.namespace === 'research')
        .map((o) => o.metadata?.name),
    ).toEqual(['searxng']);
  });

  it('default-denies the team namespace and opens only the declared paths', () => {
    expect(policy(files, 'research', 'default-deny').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(
      policies(files, 'research')
        .map((o) => o.metadata.name)
        .sort(),
    ).toEqual(['allow-agents-from-kagent', 'allow-agents-to-kagent', 'allow-agents-to-mcp-searxng', 'allow-agents-to-ollama', 'allow-dns', 'default-deny']);
    const toSearxng = policy(files, 'research', 'allow-agents-to-mcp-searxng').spec.egress[0];
    expect(toSearxng.to[0].podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'mcpserver', 'app.kubernetes.io/instance': 'searxng' });
    expect(peerNamespaces(toSearxng)).toEqual(['toolhive-system']);
    expect(policy(files, 'research', 'allow-agents-to-kagent').spec.egress[0].ports).toEqual([{ port: 8083, protocol: 'TCP' }]);
  });

  it('cannot reach another team’s MCP server or namespace unless granted: policies at both ends', () => {
    // research is granted SearXNG only; delivery Azure DevOps only.
    expect(policies(files, 'research').some((o) => o.metadata.name.includes('azure-devops'))).toBe(false);
    expect(policies(files, 'team-delivery').some((o) => o.metadata.name.includes('searxng'))).toBe(false);
    const toolhive = policies(files, 'toolhive-system');
    const searxngFrom = toolhive
      .filter((o) => o.spec.podSelector.matchLabels?.['app.kubernetes.io/instance'] === 'searxng')
      .flatMap((o) => o.spec.ingress ?? [])
      .flatMap(peerNamespaces);
    const adoFrom = toolhive
      .filter((o) => o.spec.podSelector.matchLabels?.['app.kubernetes.io/instance'] === 'azure-devops')
      .flatMap((o) => o.spec.ingress ?? [])
      .flatMap(peerNamespaces);
    expect(searxngFrom).toEqual(['research']);
    expect(adoFrom).toEqual(['team-delivery']);
    // No team namespace admits or reaches another team's namespace.
    for (const [team, other] of [
      ['research', 'team-delivery'],
      ['team-delivery', 'research'],
    ]) {
      const rules = policies(files, team).flatMap((o) => [...(o.spec.ingress ?? []), ...(o.spec.egress ?? [])]);
      expect(rules.flatMap(peerNamespaces)).not.toContain(other);
    }
  });

  it('opens the other ends on the platform: Ollama and the kagent controller admit each team', () => {
    const ollamaFrom = policy(files, 'ollama', 'allow-ollama-from-research').spec;
    expect(peerNamespaces(ollamaFrom.ingress[0])).toEqual(['research']);
    expect(ollamaFrom.podSelector.matchLabels).toEqual(p.ollama!.podLabels);
    expect(peerNamespaces(policy(files, 'kagent', 'allow-controller-from-team-delivery').spec.ingress[0])).toEqual(['team-delivery']);
    const toTeam = policy(files, 'kagent', 'allow-controller-to-research').spec;
    expect(toTeam.podSelector.matchLabels).toEqual(p.kagent.controllerPodLabels);
    expect(toTeam.egress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
  });

  it('renders the quota and limit range from the team config', () => {
    expect(find(files, 'ResourceQuota', 'team-quota', 'research').spec.hard).toEqual({
      pods: '4',
      'requests.cpu': '1000m',
      'requests.memory': '2048Mi',
      'limits.memory': '8Gi',
    });
    expect(find(files, 'LimitRange', 'team-limits', 'research').spec.limits).toEqual([
      { type: 'Container', default: { memory: '2Gi' }, defaultRequest: { cpu: '250m', memory: '512Mi' }, max: { memory: '2Gi' } },
    ]);
    // Defaults: 10 pods of 100m / 256Mi, 1Gi limit.
    expect(find(files, 'ResourceQuota', 'team-quota', 'team-delivery').spec.hard).toEqual({
      pods: '10',
      'requests.cpu': '1000m',
      'requests.memory': '2560Mi',
      'limits.memory': '10Gi',
    });
    // Agents get the per-agent share.
    expect(find(files, 'Agent', 'scout', 'research').spec.declarative.deployment.resources).toEqual({
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { memory: '2Gi' },
    });
  });

  it('gives each team an AppProject whose only destination is its namespace, and no cluster-scoped kinds', () => {
    const project = find(files, 'AppProject', 'team-research', 'argocd');
    expect(project.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'research' }]);
    expect(project.spec.clusterResourceWhitelist).toBeUndefined();
    expect(project.spec.namespaceResourceWhitelist).toEqual(TEAM_RESOURCE_KINDS.map((k) => ({ ...k })));
    expect(project.spec.sourceRepos).toEqual(['https://git.example/platform.git']);
    expect(find(files, 'AppProject', 'team-delivery', 'argocd').spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'team-delivery' },
    ]);
  });

  it('syncs the agents folder in the team project, the namespace folder in the platform project', () => {
    const agents = find(files, 'Application', 'team-research', 'argocd');
    expect(agents.spec.project).toBe('team-research');
    expect(agents.spec.source.path).toBe('dist/teams/research/agents');
    expect(agents.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'research' });
    const namespace = find(files, 'Application', 'team-research-namespace', 'argocd');
    expect(namespace.spec.project).toBe('agent-platform');
    expect(namespace.spec.source.path).toBe('dist/teams/research/namespace');
    expect(namespace.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('0');
    expect(agents.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
    // Every agent object lives in a folder a team Application syncs: nothing leaks into the platform's agents folder.
    expect(
      files
        .filter((f) => f.path.startsWith('agents/'))
        .flatMap((f) => f.objects)
        .filter((o) => o.metadata?.namespace === 'research'),
    ).toEqual([]);
  });

  it('lists the team firewall in SECURITY.md and its agents in TOPOLOGY.md', () => {
    expect(files.find((f) => f.path === 'SECURITY.md')!.content).toContain('research');
    expect(files.find((f) => f.path === 'TOPOLOGY.md')!.content).toContain('scout');
  });
});

describe('AgentTeam grants and delegation', () => {
  it('fails synthesis when an agent uses an ungranted shared MCP server, naming team, agent, server and fix', () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'research', { name: 'research', models: { qwen: { provider: 'ollama', model: 'qwen3:8b' } } });
    team.addAgent('scout', { name: 'scout', description: 'Searches', systemPrompt: prompt, modelConfig: team.model('qwen'), tools: [p.mcpServer('searxng')] });
    expect(() => renderTree(app)).toThrow(
      'team "research": agent "scout" uses MCP server "kagent/searxng", which is not granted to the team; grant it with team.grantMcpServer("searxng") and give the agent team.mcpServer("searxng")',
    );
  });

  it('rejects another team’s registration as not granted', () => {
    const { app, platform: p } = platform();
    const a = new AgentTeam(p, 'a', { name: 'a', tools: [p.mcpServer('azure-devops')], models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    const b = new AgentTeam(p, 'b', { name: 'b', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    b.addAgent('x', { name: 'x', description: 'x', systemPrompt: prompt, modelConfig: b.model('m'), tools: [a.mcpServer('azure-devops')] });
    expect(() => renderTree(app)).toThrow('team "b": agent "x" uses MCP server "a/azure-devops", which is not granted to the team');
  });

  it("registers a granted server in the team with the shared one's timeouts, its SSE read timeout included", () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'docs', { name: 'docs' });
    const shared = new RemoteMcpServer(p.charts.agents, 'slow', {
      name: 'slow',
      description: 'A slow report server',
      url: 'http://slow-mcp.reports:8080/mcp',
      timeout: '2m',
      sseReadTimeout: '30m',
    });
    const registration = team.grantMcpServer(shared, { path: { to: { namespace: 'reports' }, ports: [8080] } });
    expect(registration).not.toBe(shared);
    expect(find(renderTree(app), 'RemoteMCPServer', 'slow', 'docs').spec).toMatchObject({ timeout: '2m', sseReadTimeout: '30m' });
  });

  it('names the fix when asking for a server that was not granted', () => {
    const { platform: p } = platform();
    const team = new AgentTeam(p, 'research', { name: 'research' });
    expect(() => team.mcpServer('searxng')).toThrow(
      'p/research: MCP server "searxng" is not granted to team "research"; call grantMcpServer("searxng") first (granted: none)',
    );
  });

  it('grants kagent’s tool server with the path to its pods, and the same server only once', () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'ops', { name: 'ops' });
    const first = team.grantMcpServer('kagent-k8s-tools');
    expect(team.grantMcpServer(p.mcpServer('kagent-k8s-tools'))).toBe(first);
    const files = renderTree(app);
    expect(policy(files, 'ops', 'allow-agents-to-mcp-kagent-k8s-tools').spec.egress[0].to[0].podSelector.matchLabels).toEqual(p.kagent.toolsPodLabels);
    expect(peerNamespaces(policy(files, 'kagent', 'allow-tools-from-ops').spec.ingress[0])).toEqual(['ops']);
  });

  it('needs the network path of an MCP server the platform does not run, and uses it', () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'docs', { name: 'docs' });
    expect(() => team.grantMcpServer('handbook')).toThrow(
      'p/docs: MCP server "handbook" (http://handbook-mcp.docs:8080/mcp) is not run by the platform\'s ToolHive, so its network path is unknown; pass it',
    );
    team.grantMcpServer('handbook', { path: { to: { namespace: 'docs-mcp', podLabels: { app: 'handbook' } }, ports: [8080] } });
    expect(peerNamespaces(policy(renderTree(app), 'docs', 'allow-agents-to-mcp-handbook').spec.egress[0])).toEqual(['docs-mcp']);
  });

  it('uses a server the team registered in its own namespace as it is, once granted with its path', () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'docs', { name: 'docs', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    const own = new RemoteMcpServer(team.agentsChart, 'wiki', { name: 'wiki', description: 'Team wiki', url: 'http://wiki-mcp.wiki:8080/mcp' });
    team.addAgent('reader', { name: 'reader', description: 'Reads the wiki', systemPrompt: prompt, modelConfig: team.model('m'), tools: [own] });
    expect(() => renderTree(app)).toThrow('team "docs": agent "reader" uses MCP server "docs/wiki", which is not granted to the team');
    expect(team.grantMcpServer(own, { path: { to: { namespace: 'wiki' }, ports: [8080] } })).toBe(own);
    const files = renderTree(app);
    expect(
      objectsOf(files)
        .filter((o) => o.kind === 'RemoteMCPServer' && o.metadata?.namespace === 'docs')
        .map((o) => o.metadata?.name),
    ).toEqual(['wiki']);
    expect(peerNamespaces(policy(files, 'docs', 'allow-agents-to-mcp-wiki').spec.egress[0])).toEqual(['wiki']);
  });

  it('opens HTTPS egress for a hosted provider of its own', () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'hosted', { name: 'hosted' });
    team.addModel('gpt', { provider: 'openai', model: 'gpt-4.1-mini', apiKeySecret: { name: 'openai', key: 'key' } });
    const files = renderTree(app);
    expect(find(files, 'ModelConfig', 'openai-gpt-4-1-mini', 'hosted').spec.apiKeySecret).toBe('openai');
    expect(policy(files, 'hosted', 'allow-models-internet').spec.egress[0].ports).toEqual([{ port: 443, protocol: 'TCP' }]);
    expect(policies(files, 'hosted').map((o) => o.metadata.name)).not.toContain('allow-agents-to-ollama');
  });

  it('fails cross-team delegation the target does not allow, naming both agents and the side to change', () => {
    const { app, platform: p } = platform();
    const a = new AgentTeam(p, 'a', { name: 'a', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    const b = new AgentTeam(p, 'b', { name: 'b', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    const expert = b.addAgent('expert', { name: 'expert', description: 'Knows things', systemPrompt: prompt, modelConfig: b.model('m') });
    a.addOrchestrator('lead', { name: 'lead', description: 'Routes', modelConfig: a.model('m'), delegates: [expert] });
    expect(() => renderTree(app)).toThrow(
      '[p/a/agents/lead] agent "lead" (namespace "a") delegates to "b/expert", which does not allow callers from "a"; set allowedNamespaces on p/b/agents/expert',
    );
  });

  it('allows cross-team delegation when the target admits the caller’s namespace', () => {
    const { app, platform: p } = platform();
    const a = new AgentTeam(p, 'a', { name: 'a', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    const b = new AgentTeam(p, 'b', { name: 'b', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    const expert = b.addAgent('expert', {
      name: 'expert',
      description: 'Knows things',
      systemPrompt: prompt,
      modelConfig: b.model('m'),
      allowedNamespaces: { namespaces: ['a'] },
    });
    a.addOrchestrator('lead', { name: 'lead', description: 'Routes', modelConfig: a.model('m'), delegates: [expert] });
    const files = renderTree(app);
    expect(find(files, 'Agent', 'lead', 'a').spec.declarative.tools[0].agent).toEqual({
      apiGroup: 'kagent.dev',
      kind: 'Agent',
      name: 'expert',
      namespace: 'b',
    });
    expect(checkTree(files)).toEqual([]);
  });
});

describe('AgentTeam rejects bad input with the path and the fix', () => {
  it('fails synthesis when the team has more agents than its quota allows', () => {
    const { app, platform: p } = platform();
    const team = new AgentTeam(p, 'tiny', { name: 'tiny', quota: { agentPods: 1 }, models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    for (const name of ['one', 'two']) team.addAgent(name, { name, description: name, systemPrompt: prompt, modelConfig: team.model('m') });
    expect(() => renderTree(app)).toThrow('p/tiny: team "tiny" has 2 agents but its quota allows 1 agent pods; raise quota.agentPods or remove agents');
  });

  it('rejects an agent whose memory limit is above the team’s per-agent maximum', () => {
    const { platform: p } = platform();
    const team = new AgentTeam(p, 'tiny', { name: 'tiny', models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    expect(() =>
      team.addAgent('big', {
        name: 'big',
        description: 'b',
        systemPrompt: prompt,
        modelConfig: team.model('m'),
        resources: { cpuRequest: '100m', memoryRequest: '1Gi', memoryLimit: '4Gi' },
      }),
    ).toThrow(
      'p/tiny/agents/big: team "tiny": memoryLimit 4Gi is above the team\'s 1Gi per agent (its LimitRange maximum); lower it or raise quota.memoryLimitPerAgent',
    );
    // Within the maximum, the agent's own resources are kept.
    const small = team.addAgent('small', {
      name: 'small',
      description: 's',
      systemPrompt: prompt,
      modelConfig: team.model('m'),
      resources: { cpuRequest: '50m', memoryRequest: '128Mi', memoryLimit: '512Mi' },
    });
    expect(small.resource.toJson().spec.declarative.deployment.resources.limits.memory).toBe('512Mi');
  });

  it.each([
    [{ agentPods: 0 }, 'p/t: quota.agentPods must be a whole number ≥ 1, got 0'],
    [{ agentPods: 2.5 }, 'p/t: quota.agentPods must be a whole number ≥ 1, got 2.5'],
    [{ memoryLimitPerAgent: '1.5Gi' }, 'p/t: quota.memoryLimitPerAgent "1.5Gi" must be a whole-number quantity such as "512Mi", "1Gi" or "250m"'],
    [{ cpuRequestPerAgent: 'lots' }, 'p/t: quota.cpuRequestPerAgent "lots" must be a whole-number quantity'],
    [{ memoryRequestPerAgent: '2Gi', memoryLimitPerAgent: '1Gi' }, 'p/t: quota.memoryRequestPerAgent 2Gi is above memoryLimitPerAgent 1Gi'],
  ])('rejects quota %j', (quota, message) => {
    const { platform: p } = platform();
    expect(() => new AgentTeam(p, 't', { name: 't', quota })).toThrow(message);
  });

  it('rejects a namespace the platform or another team already uses', () => {
    const { platform: p } = platform();
    expect(() => new AgentTeam(p, 't', { name: 't', namespace: 'kagent' })).toThrow('p/t: namespace "kagent" already belongs to the platform or another team');
    new AgentTeam(p, 'a', { name: 'a' });
    expect(() => new AgentTeam(p, 'b', { name: 'b', namespace: 'a' })).toThrow('p/b: namespace "a" already belongs to the platform or another team');
  });

  it('rejects a second team of the same name', () => {
    const { platform: p } = platform();
    new AgentTeam(p, 'one', { name: 'ops' });
    expect(() => new AgentTeam(p, 'two', { name: 'ops', namespace: 'ops-2' })).toThrow(
      'p/two: the platform already has a team "ops"; team names name folders, projects and Applications',
    );
  });

  it('rejects a bad name, a missing platform, unknown models and duplicate model keys', () => {
    const { app, platform: p } = platform();
    expect(() => new AgentTeam(p, 'bad', { name: 'Team_A' })).toThrow('p/bad: name "Team_A" is not a valid Kubernetes name');
    expect(() => new AgentTeam(new Construct(app, 'elsewhere'), 't', { name: 't' })).toThrow(
      'elsewhere/t: create the team on an AgentPlatform (new AgentTeam(platform, id, props)) or pass props.platform',
    );
    const team = new AgentTeam(new Construct(app, 'teams'), 'x', { name: 'x', platform: p, models: { m: { provider: 'ollama', model: 'qwen3:8b' } } });
    expect(team.platform).toBe(p);
    expect(AgentTeam.isAgentTeam(team)).toBe(true);
    expect(AgentTeam.isAgentTeam(p)).toBe(false);
    expect(() => team.model('huge')).toThrow('teams/x: team "x" has no model "huge"; known: m; add it with addModel');
    expect(() => team.addModel('m', { provider: 'ollama', model: 'qwen3:8b' })).toThrow('teams/x: team "x" already has a model "m"; use another key');
    expect(() => team.agent('ghost')).toThrow('teams/x: team "x" has no agent "ghost"; known: none');
  });
});

describe('AgentTeam in Open WebUI', () => {
  it('offers team agents as <namespace>/<name> beside the platform agents, in the bridge and the Pipe, unless expose is false', () => {
    const { app, platform: p } = platform({
      ...SHARED,
      agents: [{ name: 'helper', description: 'Helps', model: 'small', prompt: { inline: 'Help.' } }],
      openWebUi: { secretKeySecret: { name: 'webui', key: 'key' }, pipe: {} },
    });
    const team = new AgentTeam(p, 'research', { name: 'research' });
    const model = team.addModel('qwen', { provider: 'ollama', model: 'qwen3:14b' });
    team.addAgent('helper', { name: 'helper', description: 'Helps the team', systemPrompt: prompt, modelConfig: model });
    team.addAgent('quiet', { name: 'quiet', description: 'Internal', systemPrompt: prompt, modelConfig: model }, { expose: false });
    const files = renderTree(app);
    const env = find(files, 'Deployment', 'a2a-bridge', 'open-webui').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'AGENTS', value: 'kagent/helper,research/helper=research/helper' });
    const pipe = files.find((f) => f.path === 'openwebui/a2a_pipe.py')!.content;
    expect(pipe).toContain('{"id":"research/helper","name":"helper","namespace":"research","title":"research/helper"}');
    expect(pipe).not.toContain('"quiet"');
  });
});

describe('kagent and teams', () => {
  it('has the controller watch kagent and every team namespace once teams exist, and every namespace before', () => {
    const kagentValues = (files: readonly RenderedFile[]) => find(files, 'Application', 'kagent', 'argocd').spec.source.helm.valuesObject.controller;
    expect(kagentValues(twoTeams().files).watchNamespaces).toEqual(['kagent', 'research', 'team-delivery']);
    expect(kagentValues(renderTree(platform().app))).not.toHaveProperty('watchNamespaces');
  });
});

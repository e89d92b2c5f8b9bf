import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AgentPlatform, AgentTeam, type PlatformConfigInput } from '../../src';
import { OpenWebUiAccess } from '../../src/chat/open-webui-access';
import { inlinePrompt } from '../../src/agents/system-prompt';
import type { ChatAccess } from '../../src/core/chat-access';
import { renderTree } from '../../src/synth/render-tree';
import { chatFixture, findOne, OPEN_WEBUI_IMAGE } from '../pipe/open-webui-fixture';
import { find, objectsOf } from '../support/platform';

const ADMIN_KEY = { name: 'open-webui-admin', key: 'api-key' };
const BUNDLE = 'console.log("bridge")';

/** The AGENTS list the Pipe source was rendered with. */
function pipeAgents(source: string): any[] {
  return JSON.parse(/AGENTS: List\[Dict\[str, Any\]\] = json\.loads\(r"""(.*)"""\)/.exec(source)![1]);
}

function envOf(container: any): Record<string, unknown> {
  return Object.fromEntries(container.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe('OpenWebUiAccess: the Job', () => {
  it('renders the PostSync Job, its ConfigMap (script and access data) and the admin key by reference', () => {
    const fixture = chatFixture();
    const openWebUi = fixture.openWebUi();
    const [jairix, devops] = fixture.agents;
    const access = new Map<any, ChatAccess>([[devops, { groups: ['delivery', 'po'] }]]);
    new OpenWebUiAccess(fixture.chat, 'access', {
      openWebUi,
      kagent: fixture.kagent,
      agents: [jairix, devops],
      access,
      pipeFunctionId: 'kagent_agents',
      adminApiKeySecret: ADMIN_KEY,
      image: OPEN_WEBUI_IMAGE,
    });
    const files = fixture.render();
    const job = findOne(files, 'Job', 'sync-open-webui-access');
    expect(job.metadata.namespace).toBe('open-webui');
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    const pod = job.spec.template.spec;
    expect(job.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'sync-open-webui-access' });
    expect(pod.automountServiceAccountToken).toBe(false);
    const [container] = pod.containers;
    expect(container.image).toBe(OPEN_WEBUI_IMAGE);
    expect(container.command).toEqual(['python3', '/access/sync_access.py']);
    expect(container.env).toEqual([
      { name: 'OPENWEBUI_URL', value: 'http://open-webui.open-webui.svc.cluster.local:8080' },
      { name: 'OPENWEBUI_API_KEY', valueFrom: { secretKeyRef: { name: 'open-webui-admin', key: 'api-key' } } },
      { name: 'ACCESS_FILE', value: '/access/access.json' },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'access', mountPath: '/access', readOnly: true }]);
    expect(pod.volumes).toEqual([{ name: 'access', configMap: { name: 'sync-open-webui-access' } }]);
    const source = findOne(files, 'ConfigMap', 'sync-open-webui-access');
    expect(Object.keys(source.data).sort()).toEqual(['access.json', 'sync_access.py']);
    expect(source.data['sync_access.py']).toContain('/api/v1/models/model/access/update');
    expect(JSON.parse(source.data['access.json'])).toEqual({
      groups: ['delivery', 'po'],
      models: [
        { id: 'jairix', name: 'jairix', groups: [] },
        { id: 'kagent_agents.jairix', name: 'jairix', groups: [] },
        { id: 'azure-devops', name: 'azure-devops', groups: ['delivery', 'po'] },
        { id: 'kagent_agents.azure-devops', name: 'azure-devops', groups: ['delivery', 'po'] },
      ],
    });
    expect(objectsOf(files).some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('names the construct path and the fix for a bad group, an empty user and a route-less setup', () => {
    const make =
      (access: ChatAccess, extra: Record<string, unknown> = {}) =>
      () => {
        const fixture = chatFixture();
        const openWebUi = fixture.openWebUi();
        new OpenWebUiAccess(fixture.chat, 'access', {
          openWebUi,
          kagent: fixture.kagent,
          agents: fixture.agents,
          access: new Map([[fixture.agents[0], access]]),
          adminApiKeySecret: ADMIN_KEY,
          image: OPEN_WEBUI_IMAGE,
          ...extra,
        });
        return fixture.render();
      };
    expect(make({ groups: ['research, delivery'] })).toThrow(
      'openwebui/access: access of agent "kagent/jairix".groups[0] "research, delivery" has a comma; Open WebUI splits group lists on commas, so no synced group can match it',
    );
    expect(make({ groups: [' research'] })).toThrow('groups[0] " research" has spaces around it; Open WebUI trims group names, write "research"');
    expect(make({ users: [''] })).toThrow('openwebui/access: access of agent "kagent/jairix".users[0] is empty; name an Open WebUI user id or e-mail');
    expect(make({ roles: ['owner' as never] })).toThrow('roles[0] is "owner"; Open WebUI roles are admin, user');
    expect(make({}, { bridge: false })).toThrow(
      'openwebui/access: neither the bridge nor the Pipe is on, so no model would get access; set bridge or pipeFunctionId',
    );
  });
});

describe('AGENT_ALLOW and the Pipe allow-list', () => {
  it('renders neither without users or roles, and both, by model id, when an agent has them', () => {
    const plain = chatFixture();
    plain.pipe();
    const files = plain.render();
    const bridgeEnv = envOf(findOne(files, 'Deployment', 'a2a-bridge').spec.template.spec.containers[0]);
    expect(bridgeEnv).not.toHaveProperty('AGENT_ALLOW');
    expect(pipeAgents(findOne(files, 'ConfigMap', 'a2a-pipe-function').data['a2a_pipe.py']).some((a: any) => 'allow' in a)).toBe(false);

    const app = Testing.app();
    const config: PlatformConfigInput = {
      gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
      ollama: {},
      models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
      agents: [
        { name: 'ops', description: 'Runs ops', model: 'small', prompt: { inline: 'You help.' }, access: { users: ['Alice@lab.example'], roles: ['admin'] } },
        { name: 'docs', description: 'Writes docs', model: 'small', prompt: { inline: 'You help.' } },
      ],
      openWebUi: { secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' }, pipe: {} },
    };
    const platform = new AgentPlatform(app, 'p', config, { bridgeBundle: BUNDLE });
    const team = new AgentTeam(platform, 'research', { name: 'research' });
    const model = team.addModel('qwen', { provider: 'ollama', model: 'qwen3:14b' });
    team.addAgent(
      'scout',
      { name: 'scout', description: 'Searches', systemPrompt: inlinePrompt('You search.'), modelConfig: model },
      { access: { users: ['bob@lab.example'] } },
    );
    const tree = renderTree(app);
    const env = envOf(find(tree, 'Deployment', 'a2a-bridge').spec.template.spec.containers[0]);
    expect(JSON.parse(env.AGENT_ALLOW as string)).toEqual({
      ops: { users: ['Alice@lab.example'], roles: ['admin'] },
      'research/scout': { users: ['bob@lab.example'] },
    });
    const pipe = find(tree, 'ConfigMap', 'a2a-pipe-function').data['a2a_pipe.py'] as string;
    const agents = pipeAgents(pipe);
    expect(agents.map((a: any) => [a.id, a.allow])).toEqual([
      ['ops', { users: ['Alice@lab.example'], roles: ['admin'] }],
      ['docs', undefined],
      ['research/scout', { users: ['bob@lab.example'] }],
    ]);
    // Without openWebUi.access there is no access Job (team groups wait for it).
    expect(objectsOf(tree).some((o) => o.metadata?.name === 'sync-open-webui-access')).toBe(false);
  });
});

describe('AgentPlatform and AgentTeam: access', () => {
  const base = (access?: boolean): PlatformConfigInput => ({
    gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
    ollama: {},
    models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
    agents: [{ name: 'ops', description: 'Runs ops', model: 'small', prompt: { inline: 'You help.' }, access: { groups: ['operators'] } }],
    openWebUi: {
      secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
      pipe: {},
      ...(access ? { access: { adminApiKeySecret: ADMIN_KEY } } : {}),
    },
  });

  it("defaults a team's agents to the team's group, overridable per agent and by chatGroup, and opens the Job's path", () => {
    const app = Testing.app();
    const platform = new AgentPlatform(app, 'p', base(true), { bridgeBundle: BUNDLE });
    const research = new AgentTeam(platform, 'research', { name: 'research' });
    const delivery = new AgentTeam(platform, 'delivery', { name: 'delivery', chatGroup: 'Delivery team' });
    const model = research.addModel('qwen', { provider: 'ollama', model: 'qwen3:14b' });
    const dModel = delivery.addModel('qwen', { provider: 'ollama', model: 'qwen3:14b' });
    const agent = (name: string) => ({ name, description: name, systemPrompt: inlinePrompt('You help.'), modelConfig: model });
    const scout = research.addAgent('scout', agent('scout'));
    const open = research.addAgent('open', agent('open'), { access: { groups: [] } });
    const lead = delivery.addAgent('lead', { ...agent('lead'), modelConfig: dModel }, { access: { roles: ['admin'] } });
    expect(platform.chatAccess.get(scout)).toEqual({ groups: ['research'] });
    expect(platform.chatAccess.get(open)).toEqual({ groups: [] });
    expect(platform.chatAccess.get(lead)).toEqual({ roles: ['admin'], groups: ['Delivery team'] });
    const tree = renderTree(app);
    const data = JSON.parse(find(tree, 'ConfigMap', 'sync-open-webui-access').data['access.json']);
    expect(data.groups).toEqual(['operators', 'research', 'Delivery team']);
    expect(data.models.filter((m: any) => !m.id.startsWith('kagent_agents.'))).toEqual([
      { id: 'ops', name: 'ops', groups: ['operators'] },
      { id: 'research/scout', name: 'research/scout', groups: ['research'] },
      { id: 'research/open', name: 'research/open', groups: [] },
      { id: 'delivery/lead', name: 'delivery/lead', groups: ['Delivery team'] },
    ]);
    expect(data.models).toContainEqual({ id: 'kagent_agents.research/scout', name: 'research/scout', groups: ['research'] });
    const egress = find(tree, 'NetworkPolicy', 'allow-access-sync-to-open-webui');
    expect(egress.spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'sync-open-webui-access' });
    expect(egress.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    expect(find(tree, 'NetworkPolicy', 'allow-open-webui-from-access-sync').spec.ingress[0].from[0].podSelector.matchLabels).toEqual({
      'app.kubernetes.io/name': 'sync-open-webui-access',
    });
  });

  it('fails with the path and the fix: groups without the Job, a bad config entry, a bad chatGroup', () => {
    const app = Testing.app();
    new AgentPlatform(app, 'p', base(false), { bridgeBundle: BUNDLE });
    expect(() => renderTree(app)).toThrow(
      'p: agent "ops" names Open WebUI groups (operators), but nothing applies them; set openWebUi.access.adminApiKeySecret to run the access Job',
    );
    const bad = { ...base(true), agents: [{ ...base(true).agents![0], access: { users: ['alice@lab.example', ''] } }] };
    expect(() => new AgentPlatform(Testing.app(), 'p', bad, { bridgeBundle: BUNDLE })).toThrow(
      'p: config.agents.0.access: users[1] is empty; name an Open WebUI user id or e-mail',
    );
    const platform = new AgentPlatform(Testing.app(), 'p', base(true), { bridgeBundle: BUNDLE });
    expect(() => new AgentTeam(platform, 'research', { name: 'research', chatGroup: 'a,b' })).toThrow(
      'p/research: chatGroup "a,b" has a comma; Open WebUI splits group lists on commas, so no synced group can match it',
    );
  });
});

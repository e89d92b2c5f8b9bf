import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { AgentPlatform, type PlatformConfigInput } from '../../src';
import { Agent } from '../../src/agents/agent';
import { inlinePrompt, promptFile } from '../../src/agents/system-prompt';
import { checkTree } from '../../src/synth/publish';
import { renderTree } from '../../src/synth/render-tree';
import { REPO_ROOT, find, objectsOf } from '../support/platform';

const BUNDLE = 'console.log("bridge")';
const work = mkdtempSync(join(tmpdir(), 'platform-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Only Ollama, one model and one agent: no ToolHive, Azure DevOps, Grafana, SearXNG or Open WebUI. */
const MINIMAL: PlatformConfigInput = {
  gitops: { repoUrl: 'https://git.example/platform.git', targetRevision: 'main' },
  ollama: {},
  models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
  agents: [{ name: 'helper', description: 'Answers questions', model: 'small', prompt: { inline: 'You help.' } }],
};

function platform(config: PlatformConfigInput = MINIMAL): { app: App; platform: AgentPlatform } {
  const app = Testing.app();
  return { app, platform: new AgentPlatform(app, 'p', config, { bridgeBundle: BUNDLE }) };
}

describe('AgentPlatform with a minimal config', () => {
  const { app, platform: minimal } = platform();
  const files = renderTree(app);

  it('synthesizes and validates (schemas, Pod Security, namespaces)', () => {
    expect(checkTree(files)).toEqual([]);
  });

  it('renders only the components the config names', () => {
    const folders = [...new Set(files.map((f) => f.path.split('/')[0]))].sort();
    expect(folders).toEqual(['SECRETS.md', 'SECURITY.md', 'TOPOLOGY.md', 'agents', 'argocd', 'bootstrap', 'namespaces', 'ollama']);
    const namespaces = objectsOf(files)
      .filter((o) => o.kind === 'Namespace')
      .map((o) => o.metadata?.name)
      .sort();
    expect(namespaces).toEqual(['kagent', 'ollama']);
    expect(objectsOf(files).filter((o) => o.kind === 'MCPServer')).toEqual([]);
    expect(minimal.openWebUi).toBeUndefined();
    expect(minimal.tools.operator).toBeUndefined();
  });

  it('pulls what the model configs use, with the default parallelism', () => {
    const job = find(files, 'Job', 'ollama-pull-models', 'ollama');
    expect(job.spec.template.spec.containers[0].command.slice(-1)).toEqual(['qwen3:8b']);
    const env = find(files, 'StatefulSet', 'ollama', 'ollama').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'OLLAMA_NUM_PARALLEL', value: '4' });
  });

  it('renders the configured agent with its model', () => {
    const agent = find(files, 'Agent', 'helper', 'kagent');
    expect(agent.spec.declarative.modelConfig).toBe('ollama-qwen3-8b');
    expect(agent.spec.declarative.systemMessage).toBe('You help.');
  });
});

describe('AgentPlatform composition', () => {
  it('adds agents in code with the constructs it returns', () => {
    const { app, platform: p } = platform();
    const extra = p.addAgent('reviewer', { name: 'reviewer', description: 'Reviews', systemPrompt: inlinePrompt('Review.'), modelConfig: p.model('small') });
    const lead = p.addOrchestrator('lead', { name: 'lead', description: 'Routes', modelConfig: p.model('small'), delegates: [p.agent('helper'), extra] });
    const files = renderTree(app);
    expect(find(files, 'Agent', 'lead', 'kagent').spec.declarative.tools.map((t: any) => t.agent.name)).toEqual(['helper', 'reviewer']);
    expect(p.agents.map((a) => a.name)).toEqual(['helper', 'reviewer', 'lead']);
    expect(lead).toBeInstanceOf(Agent);
  });

  it('builds orchestrators from config in delegation order, whatever the listing order', () => {
    const { app } = platform({
      ...MINIMAL,
      agents: [
        { name: 'boss', description: 'Routes', model: 'small', delegates: ['a', 'b'] },
        { name: 'a', description: 'A', model: 'small', prompt: { inline: 'A' } },
        { name: 'b', description: 'B', model: 'small', prompt: { inline: 'B' } },
      ],
    });
    expect(find(renderTree(app), 'Agent', 'boss', 'kagent').spec.declarative.systemMessage).toContain('- **a**: A');
  });

  it.each([
    [
      'an unknown model',
      { agents: [{ name: 'x', description: 'x', model: 'huge', prompt: { inline: 'x' } }] },
      'p/agents: config.agents "x": model "huge" is not in config.models (small)',
    ],
    [
      'an unknown tool server',
      { agents: [{ name: 'x', description: 'x', model: 'small', prompt: { inline: 'x' }, tools: ['jira'] }] },
      'config.agents "x": tool server "jira" is not configured; configured: none',
    ],
    [
      'an unknown delegate',
      { agents: [{ name: 'x', description: 'x', model: 'small', delegates: ['ghost'] }] },
      'config.agents "x" delegates to "ghost", which is not in config.agents',
    ],
    [
      'a delegation cycle',
      {
        agents: [
          { name: 'a', description: 'a', model: 'small', delegates: ['b'] },
          { name: 'b', description: 'b', model: 'small', delegates: ['a'] },
        ],
      },
      'config.agents: delegation cycle a → b → a',
    ],
    [
      'an agent without prompt or delegates',
      { agents: [{ name: 'x', description: 'x', model: 'small' }] },
      'config.agents.0: needs a prompt (a file or { inline }) unless it delegates',
    ],
    ['an Ollama model without Ollama', { ollama: undefined }, 'config.models.small is an Ollama model, but config.ollama is not set'],
  ])('rejects %s with the config path', (_name, change, message) => {
    expect(() => platform({ ...MINIMAL, ...change } as PlatformConfigInput)).toThrow(message);
  });

  it('names the construct path when a string is passed where a construct belongs', () => {
    const { platform: p } = platform();
    expect(() => p.addAgent('bad', { name: 'bad', description: 'd', systemPrompt: inlinePrompt('x'), modelConfig: 'small' as never })).toThrow(
      'p/agents/bad: modelConfig must be a ModelConfig construct, got the string "small"; pass the ModelConfig construct',
    );
    expect(() =>
      p.addAgent('bad2', { name: 'bad2', description: 'd', systemPrompt: inlinePrompt('x'), modelConfig: p.model('small'), tools: ['helper' as never] }),
    ).toThrow('p/agents/bad2: tools[] must be a RemoteMcpServer construct, got the string "helper"');
  });
});

describe('chat exposure', () => {
  const chat: PlatformConfigInput = { ...MINIMAL, openWebUi: { secretKeySecret: { name: 'webui', key: 'key' }, pipe: {} } };

  it('offers agents added in code after construction in the bridge and the Pipe, unless expose is false', () => {
    const { app, platform: p } = platform(chat);
    p.addAgent('late', { name: 'late', description: 'Added later', systemPrompt: inlinePrompt('x'), modelConfig: p.model('small') });
    p.addAgent('hidden', { name: 'hidden', description: 'Not offered', systemPrompt: inlinePrompt('x'), modelConfig: p.model('small') }, { expose: false });
    const files = renderTree(app);
    const env = find(files, 'Deployment', 'a2a-bridge', 'open-webui').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'AGENTS', value: 'kagent/helper,kagent/late' });
    const pipe = files.find((f) => f.path === 'openwebui/a2a_pipe.py')!.content;
    expect(pipe).toContain('"name":"late"');
    expect(pipe).not.toContain('"name":"hidden"');
    expect(find(files, 'ConfigMap', 'a2a-pipe-function', 'open-webui').data['a2a_pipe.py']).toBe(pipe);
  });

  it('fails synthesis when the bridge has nothing to expose', () => {
    const { app } = platform({ ...chat, agents: [] });
    expect(() => renderTree(app)).toThrow('p/openwebui/bridge: agents is empty; expose at least one agent');
  });

  it('writes the Pipe next to its chart, so a prefixed tree has its own', () => {
    const app = Testing.app();
    new AgentPlatform(app, 'p', chat, { bridgeBundle: BUNDLE, folderPrefix: 'clusters/lab' });
    expect(renderTree(app).map((f) => f.path)).toContain('clusters/lab/openwebui/a2a_pipe.py');
  });
});

describe('paths belong to the caller', () => {
  it('reads prompt files relative to the working directory, or to baseDir', () => {
    const dir = join(work, 'prompts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'mine.md'), 'My prompt.\n');
    const { app, platform: p } = platform();
    p.addAgent('mine', { name: 'mine', description: 'd', systemPrompt: promptFile('mine.md', { baseDir: dir }), modelConfig: p.model('small') });
    expect(find(renderTree(app), 'Agent', 'mine', 'kagent').spec.declarative.systemMessage).toBe('My prompt.\n');
    expect(() => p.addAgent('ghost', { name: 'ghost', description: 'd', systemPrompt: promptFile('ghost.md'), modelConfig: p.model('small') })).toThrow(
      `p/agents/ghost: prompt file ${join(process.cwd(), 'ghost.md')} does not exist`,
    );
  });

  it('publishes to dist/ of the working directory by default, not to the package', () => {
    const cwd = join(work, 'consumer-cwd');
    mkdirSync(cwd, { recursive: true });
    const script = [
      `const { Testing } = require(${JSON.stringify(require.resolve('cdk8s'))});`,
      `const { AgentPlatform, synthesize } = require(${JSON.stringify(join(REPO_ROOT, 'src'))});`,
      `const app = Testing.app();`,
      `new AgentPlatform(app, 'p', ${JSON.stringify(MINIMAL)}, { bridgeBundle: 'x' });`,
      `synthesize(app);`,
    ].join('\n');
    const result = spawnSync(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, CDK8S_OUTDIR: '' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(existsSync(join(cwd, 'dist', 'agents', 'agent-helper.yaml'))).toBe(true);
  });
});

import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from 'cdk8s';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent } from '../../src/agents/agent';
import { Orchestrator } from '../../src/agents/orchestrator';
import { inlinePrompt, promptFile } from '../../src/agents/system-prompt';
import type { PlatformConfigInput } from '../../src/platform/config/platform-config';
import { REFERENCE_CONFIG } from '../support/platform';
import { buildHomelab as buildPlatform } from '../../app/main';
import { Ollama } from '../../src/models/ollama';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { OpenAiModelConfig } from '../../src/models/openai-model-config';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/core/platform-chart';
import { synthesize } from '../../src/synth/synthesize';
import { McpServer } from '../../src/tools/mcp-server';
import { RemoteMcpServer } from '../../src/tools/remote-mcp-server';
import { DIST, readTree } from '../support/platform';

const BUNDLE = 'console.log("bridge")';
const work = mkdtempSync(join(tmpdir(), 'bad-input-'));
const dist = join(work, 'dist');
cpSync(DIST, dist, { recursive: true });
const pristine = readTree(dist);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The reference platform with one config field changed. */
function withConfig(change: (config: any) => void): () => App {
  const config = structuredClone(REFERENCE_CONFIG) as any;
  config.versions = { ...config.versions, images: { ...config.versions?.images } };
  change(config);
  return () => buildPlatform(config as PlatformConfigInput, { bridgeBundle: BUNDLE });
}

/** The reference platform plus whatever `extend` composes into it. */
function withReference(extend: (ref: Reference) => void): () => App {
  return () => {
    const app = buildPlatform(REFERENCE_CONFIG, { bridgeBundle: BUNDLE });
    extend(new Reference(app));
    return app;
  };
}

class Reference {
  constructor(readonly app: App) {}
  chart(folder: string): PlatformChart {
    return this.app.charts.find((c) => (c as PlatformChart).folder === folder) as PlatformChart;
  }
  agent(name: string): Agent {
    return this.app.node
      .findAll()
      .filter(Agent.isAgent)
      .find((a) => a.name === name)!;
  }
  get model(): OllamaModelConfig {
    return this.app.node.findAll().find((c) => c instanceof OllamaModelConfig) as OllamaModelConfig;
  }
  get ollama(): Ollama {
    return this.app.node.findAll().find((c) => c instanceof Ollama) as Ollama;
  }
  get mcp(): RemoteMcpServer {
    return this.app.node
      .findAll()
      .filter(RemoteMcpServer.isRemoteMcpServer)
      .find((s) => s.name === 'azure-devops')!;
  }
  newAgent(name: string, extra: Record<string, unknown> = {}): Agent {
    return new Agent(this.chart('agents'), `extra-${name}`, { name, description: 'extra', systemPrompt: inlinePrompt('x'), modelConfig: this.model, ...extra });
  }
  toolhiveNamespace(): TalosNamespace {
    return this.app.node.findAll().find((c) => c instanceof TalosNamespace && c.name === 'toolhive-system') as TalosNamespace;
  }
}

/** Runs the real publish pipeline against a copy of dist/ and returns the error message. */
function failure(build: () => App): string {
  try {
    synthesize(build(), { distDir: dist });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('synthesis succeeded but should have failed');
}

const cases: Array<[string, () => App, string]> = [
  [
    'a repo URL that is not a Git URL',
    withConfig((c) => (c.gitops.repoUrl = 'github.com/me/repo')),
    'config.gitops.repoUrl: must be an https://, ssh:// or git@ Git URL',
  ],
  ['a kagent version range', withConfig((c) => (c.versions.kagent = '^0.7.23')), 'config.versions.kagent: must be a supported kagent version: 0.9.12, 0.7.23'],
  [
    'an image on latest',
    withConfig((c) => (c.versions.images.ollama = 'ollama/ollama:latest')),
    'config.versions.images.ollama: must be pinned to an exact tag or digest (not "latest", not untagged)',
  ],
  [
    'an untagged image',
    withConfig((c) => (c.versions.images.openWebUi = 'ghcr.io/open-webui/open-webui')),
    'config.versions.images.openWebUi: must be pinned to an exact tag or digest',
  ],
  [
    'a namespace that is not a DNS label',
    withConfig((c) => (c.namespaces.kagent = 'KAgent')),
    'config.namespaces.kagent: must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters',
  ],
  ['two components in one namespace', withConfig((c) => (c.namespaces.searxng = 'kagent')), 'config.namespaces: every component needs its own namespace'],
  ['OLLAMA_NUM_PARALLEL of 0', withConfig((c) => (c.ollama.numParallel = 0)), 'config.ollama.numParallel: must be at least 1'],
  ['a fractional OLLAMA_NUM_PARALLEL', withConfig((c) => (c.ollama.numParallel = 2.5)), 'config.ollama.numParallel: must be a whole number'],
  [
    'a keep-alive that is not a duration',
    withConfig((c) => (c.ollama.keepAlive = 'soon')),
    'config.ollama.keepAlive: must be a duration such as "30m" or "-1"',
  ],
  [
    'an organization given as URL',
    withConfig((c) => (c.azureDevOps.organization = 'https://dev.azure.com/contoso')),
    'config.azureDevOps.organization: must be the bare organization name, not a URL',
  ],
  [
    'a missing PAT Secret reference',
    withConfig((c) => delete c.azureDevOps.patSecret),
    'config.azureDevOps.patSecret: is required: name the Secret and key that hold the value, e.g. { name: "my-secret", key: "token" }',
  ],
  [
    'postgres without its URL Secret',
    withConfig((c) => (c.kagent.database = { type: 'postgres' })),
    'config.kagent.database.urlSecret: is required: name the Secret and key that hold the value',
  ],
  ['a misspelled config section', withConfig((c) => (c.olama = {})), 'config: Unrecognized key: "olama"'],
  [
    'a Grafana URL without scheme',
    withConfig((c) => (c.grafana.url = 'grafana:3000')),
    'config.grafana.url: must be an http(s) URL such as "http://grafana.monitoring:3000"',
  ],
  [
    'an unknown built-in agent',
    withConfig((c) => (c.kagent.builtInAgents = ['k9s-agent'])),
    'agents/kagent: builtInAgents has unknown agent "k9s-agent"; known: k8s-agent, kgateway-agent',
  ],
  [
    'an agent name that is not a DNS label',
    withReference((r) => r.newAgent('Product_Owner')),
    'agents/extra-Product_Owner: name "Product_Owner" is not a valid Kubernetes name',
  ],
  // A validation message follows its construct path once: `[path] message`, not `[path] path: message`.
  [
    'two agents with one name',
    withReference((r) => r.newAgent('research')),
    '\n  [homelab/agents/agent-research] agent name "research" is used twice in namespace "kagent" (also homelab/agents/extra-research); rename one',
  ],
  [
    'a delegation cycle',
    withReference((r) => r.agent('azure-devops').addTool(r.agent('jairix'))),
    '\n  [homelab/agents/agent-azure-devops] delegation cycle azure-devops → jairix → azure-devops; A2A calls would loop forever',
  ],
  [
    'self-delegation',
    withReference((r) => r.agent('research').addTool(r.agent('research'))),
    'agents/agent-research: agent "research" cannot delegate to itself; kagent rejects self-references',
  ],
  [
    'a ModelConfig from another app',
    withReference((r) => {
      const other = buildPlatform(REFERENCE_CONFIG, { bridgeBundle: BUNDLE });
      const model = other.node.findAll().find((c) => c instanceof OllamaModelConfig) as OllamaModelConfig;
      r.newAgent('stray', { modelConfig: model });
    }),
    '[homelab/agents/extra-stray] modelConfig "ollama-agents-kimi-k2-6-cloud" (homelab/agents/model-kimi) is not part of this app; create it in the same App',
  ],
  [
    'requireApproval outside toolNames',
    withReference((r) => r.newAgent('po2', { tools: [{ server: r.mcp, toolNames: ['wit_work_item'], requireApproval: ['wit_work_item_write'] }] })),
    'agents/extra-po2: requireApproval names "wit_work_item_write" that are not in toolNames of azure-devops',
  ],
  [
    'more than 20 tools',
    withReference((r) => r.newAgent('hub', { tools: Array.from({ length: 21 }, (_, i) => r.newAgent(`spoke-${i}`)) })),
    '[homelab/agents/extra-hub] agent "hub" has 21 tools, but kagent allows at most 20',
  ],
  [
    'a delegation across namespaces the target does not allow',
    withReference((r) => {
      const team = new PlatformChart(r.app, 'team', { folder: 'team', namespace: 'team' });
      const model = new OllamaModelConfig(team, 'm', { ollama: r.ollama, model: 'kimi-k2.6:cloud', name: 'kimi' });
      const outsider = new Agent(team, 'outsider', { name: 'outsider', description: 'd', systemPrompt: inlinePrompt('x'), modelConfig: model });
      r.agent('jairix').addTool(outsider);
    }),
    '[homelab/agents/agent-jairix] agent "jairix" (namespace "kagent") delegates to "team/outsider", which does not allow callers from "kagent"; set allowedNamespaces on team/outsider',
  ],
  [
    'an MCP server image without a tag',
    withReference(
      (r) => new McpServer(r.chart('toolhive'), 'x', { name: 'x', namespace: r.toolhiveNamespace(), image: 'ghcr.io/acme/x-mcp', description: 'x' }),
    ),
    'toolhive/x: image "ghcr.io/acme/x-mcp" is not pinned; use an exact tag or digest',
  ],
  [
    'an unknown MCP transport',
    withReference(
      (r) =>
        new McpServer(r.chart('toolhive'), 'x', {
          name: 'x',
          namespace: r.toolhiveNamespace(),
          image: 'ghcr.io/acme/x-mcp:1.0.0',
          description: 'x',
          transport: 'grpc' as never,
        }),
    ),
    'toolhive/x: transport "grpc" is not one of stdio, streamable-http, sse',
  ],
  [
    'proxyMode on an HTTP server',
    withReference(
      (r) =>
        new McpServer(r.chart('toolhive'), 'x', {
          name: 'x',
          namespace: r.toolhiveNamespace(),
          image: 'ghcr.io/acme/x-mcp:1.0.0',
          description: 'x',
          transport: 'streamable-http',
          proxyMode: 'sse',
        }),
    ),
    'toolhive/x: proxyMode only applies to transport "stdio"; remove it or set transport: "stdio"',
  ],
  [
    'an MCP secret without a name',
    withReference(
      (r) =>
        new McpServer(r.chart('toolhive'), 'x', {
          name: 'x',
          namespace: r.toolhiveNamespace(),
          image: 'ghcr.io/acme/x-mcp:1.0.0',
          description: 'x',
          secrets: [{ name: '', key: 'token', targetEnvName: 'TOKEN' }],
        }),
    ),
    'toolhive/x: secrets[0] must name a Secret and a key',
  ],
  [
    'a model name where a ModelConfig construct belongs',
    withReference((r) => r.newAgent('typo', { modelConfig: 'kimi' })),
    'agents/extra-typo: modelConfig must be a ModelConfig construct, got the string "kimi"',
  ],
  [
    'an unsupported kagent version',
    withConfig((c) => (c.versions.kagent = '0.8.0')),
    'config.versions.kagent: must be a supported kagent version: 0.9.12, 0.7.23',
  ],
  ['SQLite on kagent 0.9', withConfig((c) => (c.kagent.database = { type: 'sqlite' })), 'database "sqlite" was removed in kagent 0.8; on 0.9.12 use'],
  [
    'a Helm value the pinned chart does not have',
    withReference((r) => {
      const app = r.app.node.findAll().find((c) => (c as any).helm?.chart === 'kagent') as any;
      app.helm.values.controller.securityContxt = {};
    }),
    'controller.securityContxt',
  ],
  [
    'an Azure DevOps tool name the server does not offer',
    withReference((r) => r.newAgent('po3', { tools: [{ server: r.mcp, toolNames: ['wit_get_work_itme'] }] })),
    '[homelab/agents/extra-po3] toolNames "wit_get_work_itme" are not offered by MCP server "azure-devops"',
  ],
  [
    'an OpenAI key without a Secret',
    withReference((r) => new OpenAiModelConfig(r.chart('agents'), 'gpt', { model: 'gpt-4.1', apiKeySecret: { name: '', key: 'OPENAI_API_KEY' } })),
    'agents/gpt: apiKeySecret must name a Secret and a key',
  ],
  [
    'a prompt file that does not exist',
    withReference((r) => r.newAgent('ghost', { systemPrompt: promptFile('ghost.md') })),
    `agents/extra-ghost: prompt file ${join(process.cwd(), 'ghost.md')} does not exist; create it, or fix the name or the base folder (promptFile(file, { baseDir }))`,
  ],
  [
    'a config prompt file that does not exist',
    withConfig((c) => (c.agents[0].prompt = 'ghost.md')),
    `agents/agent-azure-devops: prompt file ${join(process.cwd(), 'app', 'prompts', 'ghost.md')} does not exist; create it, or fix the name or the base folder (config.promptDir, now "app/prompts")`,
  ],
  [
    'a config agent name that is not a DNS label',
    withConfig((c) => (c.agents[0].name = 'Product_Owner')),
    'config.agents.0.name: must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters (e.g. "product-owner"); got "Product_Owner"',
  ],
  [
    "a name string in an orchestrator's delegates",
    withReference(
      (r) => new Orchestrator(r.chart('agents'), 'lead', { name: 'lead', description: 'Routes', modelConfig: r.model, delegates: ['research' as never] }),
    ),
    'agents/lead: delegates must be Agent constructs, got the string "research"; pass the Agent itself (what new Agent(...) or platform.agent(name) returns), not its name',
  ],
  [
    'an MCP server given to an orchestrator',
    withReference((r) => r.agent('jairix').addTool(r.mcp)),
    "agents/agent-jairix: an orchestrator's tools must be agents (A2A delegation); give MCP servers to a specialist agent instead",
  ],
  [
    'an Ollama model without a tag',
    withConfig((c) => (c.models.kimi.model = 'qwen3')),
    'config.models.kimi.model: must name a tag such as "qwen3:8b": untagged, Ollama pulls whatever "latest" is that day (spell out "qwen3:latest" to accept that); got "qwen3"',
  ],
  [
    'an untagged extra Ollama model',
    withConfig((c) => (c.ollama.extraModels = ['llama3.2'])),
    'config.ollama.extraModels.0: must name a tag such as "qwen3:8b"',
  ],
  ['an untagged Open WebUI task model', withConfig((c) => (c.openWebUi.taskModel = 'qwen3')), 'config.openWebUi.taskModel: must name a tag such as "qwen3:8b"'],
  [
    'an untagged model added in code',
    withReference((r) => r.ollama.addModel('gemma3')),
    'ollama/ollama: model "gemma3" must name a tag such as "qwen3:8b": untagged, Ollama pulls whatever "latest" is that day (spell out "gemma3:latest" to accept that)',
  ],
  [
    'two charts writing one folder',
    withReference((r) => new PlatformChart(r.app, 'again', { folder: 'ollama' })),
    'again: folder "ollama" is already used by homelab/ollama; give each chart its own folder',
  ],
  [
    'a root pod in a restricted namespace',
    withReference((r) => {
      const chart = new PlatformChart(r.app, 'lab', { folder: 'lab', namespace: 'searxng' });
      const ns = r.app.node.findAll().find((c) => c instanceof TalosNamespace && c.name === 'searxng') as TalosNamespace;
      new Ollama(chart, 'rooted', { namespace: ns, numParallel: 1, runAsUser: 0 });
    }),
    'dist/lab/statefulset-ollama.yaml: StatefulSet searxng/ollama: violates Pod Security "restricted" of namespace searxng: pod runAsUser must not be 0',
  ],
  [
    'two objects with one identity in different folders',
    withReference((r) => {
      const chart = new PlatformChart(r.app, 'copy', { folder: 'copy', namespace: 'ollama-agents' });
      new Ollama(chart, 'ollama', {
        namespace: r.app.node.findAll().find((c) => c instanceof TalosNamespace && c.name === 'ollama-agents') as TalosNamespace,
        numParallel: 2,
      });
    }),
    'dist/ollama/service-ollama.yaml: Service ollama-agents/ollama is also defined in dist/copy/service-ollama.yaml; Argo CD apps would fight over it',
  ],
];

describe('bad input catalogue', () => {
  it('has at least 25 cases', () => expect(cases.length).toBeGreaterThanOrEqual(25));

  it.each(cases)('rejects %s with a clear message and leaves dist/ untouched', (_name, build, message) => {
    expect(failure(build)).toContain(message);
    expect(readTree(dist)).toEqual(pristine);
  });
});

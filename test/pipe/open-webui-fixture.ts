/**
 * Open WebUI composed from its constructs in a test app (not the reference platform), so tests of the chat
 * constructs do not depend on how `main.ts` wires the whole system.
 */
import { Testing, type App } from 'cdk8s';
import { Agent } from '../../src/agents/agent';
import { KagentInstall } from '../../src/agents/kagent-install';
import { inlinePrompt } from '../../src/agents/system-prompt';
import { A2aBridge } from '../../src/chat/a2a-bridge';
import { OpenWebUi, type OpenWebUiProps } from '../../src/chat/open-webui';
import { OpenWebUiPipe, type OpenWebUiPipeProps } from '../../src/chat/open-webui-pipe';
import { AppOfApps } from '../../src/gitops/app-of-apps';
import { Ollama } from '../../src/models/ollama';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/core/platform-chart';
import { renderTree, type RenderedFile } from '../../src/synth/render-tree';

export const OPEN_WEBUI_IMAGE = 'ghcr.io/open-webui/open-webui:v0.11.0';

/** The agents of the seed, in menu order (the Python tests expect this list). */
export const FIXTURE_AGENTS = ['jairix', 'azure-devops', 'my-first-k8s-agent', 'research', 'grafana'] as const;

export interface ChatFixture {
  readonly app: App;
  readonly chat: PlatformChart;
  readonly ollama: Ollama;
  readonly kagent: KagentInstall;
  readonly agents: Agent[];
  readonly bridge: A2aBridge;
  /** Adds Open WebUI with these props over the defaults. */
  openWebUi(props?: Partial<OpenWebUiProps>): OpenWebUi;
  /** Adds the Pipe with these props over the defaults (adds Open WebUI first if needed). */
  pipe(props?: Partial<OpenWebUiPipeProps>): OpenWebUiPipe;
  /** Renders the app as synth would. */
  render(): RenderedFile[];
}

/** kagent, Ollama (with `ollamaModels`), the seed's agents and the bridge; Open WebUI and the Pipe on demand. */
export function chatFixture(ollamaModels: readonly string[] = ['kimi-k2.6:cloud', 'qwen3:0.6b']): ChatFixture {
  const app = Testing.app();
  const argocd = new PlatformChart(app, 'argocd', { folder: 'argocd', namespace: 'argocd' });
  const gitops = new AppOfApps(argocd, 'gitops', {
    git: { repoUrl: 'https://example.com/lab.git', targetRevision: 'main', basePath: 'dist' },
    folder: 'argocd',
  });
  const models = new PlatformChart(app, 'ollama', { folder: 'ollama', namespace: 'ollama-agents' });
  const ollama = new Ollama(models, 'ollama', { namespace: new TalosNamespace(models, 'ns', { name: 'ollama-agents' }), numParallel: 4, models: ollamaModels });
  const agentsChart = new PlatformChart(app, 'agents', { folder: 'agents', namespace: 'kagent' });
  const kagent = new KagentInstall(agentsChart, 'kagent', {
    namespace: new TalosNamespace(agentsChart, 'ns', { name: 'kagent' }),
    ollama,
    defaultModel: 'kimi-k2.6:cloud',
    database: { type: 'postgres', urlSecret: { name: 'kagent-postgres', key: 'url' } },
  });
  gitops.addHelmReleases(kagent.helmReleases);
  const model = new OllamaModelConfig(agentsChart, 'kimi', { ollama, model: 'kimi-k2.6:cloud' });
  const agents = FIXTURE_AGENTS.map(
    (name) => new Agent(agentsChart, name, { name, description: `${name} agent`, systemPrompt: inlinePrompt(`You are ${name}.`), modelConfig: model }),
  );
  const chat = new PlatformChart(app, 'openwebui', { folder: 'openwebui', namespace: 'open-webui' });
  const namespace = new TalosNamespace(chat, 'ns', { name: 'open-webui', podSecurity: 'baseline', podSecurityReason: 'Open WebUI runs as root' });
  const bridge = new A2aBridge(chat, 'bridge', { namespace, kagent, agents, bundle: '// bridge bundle stub', image: 'node:20.20.2-alpine' });
  let openWebUi: OpenWebUi | undefined;
  const fixture: ChatFixture = {
    app,
    chat,
    ollama,
    kagent,
    agents,
    bridge,
    openWebUi: (props = {}) => {
      openWebUi = new OpenWebUi(chat, 'open-webui', {
        namespace,
        secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
        ollama,
        bridge,
        image: OPEN_WEBUI_IMAGE,
        ...props,
      });
      return openWebUi;
    },
    pipe: (props = {}) => new OpenWebUiPipe(chat, 'pipe', { openWebUi: openWebUi ?? fixture.openWebUi(), kagent, agents, image: OPEN_WEBUI_IMAGE, ...props }),
    render: () => renderTree(app),
  };
  return fixture;
}

/** Every object of a rendered tree. */
export function objects(files: readonly RenderedFile[]): any[] {
  return files.flatMap((f) => f.objects);
}

/** Exactly one object of this kind and name. */
export function findOne(files: readonly RenderedFile[], kind: string, name: string): any {
  const found = objects(files).filter((o) => o.kind === kind && o.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0];
}

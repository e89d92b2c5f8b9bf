import { Testing } from 'cdk8s';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnthropicModelConfig } from '../../src/models/anthropic-model-config';
import { Ollama, type OllamaProps } from '../../src/models/ollama';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { OpenAiModelConfig } from '../../src/models/openai-model-config';
import { renderSecrets } from '../../src/reports/secrets-inventory';
import { synthChart, testScope } from '../support/platform';

function ollama(props: Partial<OllamaProps> = {}) {
  const scope = testScope('ollama-agents');
  const server = new Ollama(scope.chart, 'ollama', { namespace: scope.ns, numParallel: 4, models: ['kimi-k2.6:cloud'], ...props });
  return { ...scope, server };
}

const env = (objects: any[]) =>
  Object.fromEntries(objects.find((o) => o.kind === 'StatefulSet').spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));

describe('Ollama', () => {
  it('renders serving settings as env, with HOME and models on the volume', () => {
    const { chart } = ollama({ maxLoadedModels: 2, maxQueue: 64, keepAlive: '30m', contextLength: 32768, flashAttention: true });
    expect(env(synthChart(chart))).toEqual({
      HOME: '/data',
      OLLAMA_MODELS: '/data/models',
      OLLAMA_HOST: '0.0.0.0:11434',
      OLLAMA_NUM_PARALLEL: '4',
      OLLAMA_MAX_LOADED_MODELS: '2',
      OLLAMA_MAX_QUEUE: '64',
      OLLAMA_KEEP_ALIVE: '30m',
      OLLAMA_CONTEXT_LENGTH: '32768',
      OLLAMA_FLASH_ATTENTION: '1',
    });
  });

  it('runs one non-root replica on a PVC, with probes, and a Service on 11434', () => {
    const objects = synthChart(ollama().chart);
    const sts = objects.find((o) => o.kind === 'StatefulSet');
    const pod = sts.spec.template.spec;
    expect(sts.spec.replicas).toBe(1);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true });
    expect(pod.containers[0].image).toBe('ollama/ollama:0.32.15');
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/api/version', port: 11434 });
    expect(pod.volumes[0]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'ollama-data' } });
    expect(objects.find((o) => o.kind === 'PersistentVolumeClaim').spec.resources.requests.storage).toBe('100Gi');
    expect(objects.find((o) => o.kind === 'Service').spec.ports).toEqual([{ name: 'http', port: 11434, targetPort: 11434 }]);
  });

  it('pulls every declared model in an Argo CD PostSync Job', () => {
    const { chart } = ollama({ models: ['qwen3:8b', 'kimi-k2.6:cloud'] });
    const job = synthChart(chart).find((o) => o.kind === 'Job');
    expect(job.metadata.annotations).toEqual({ 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' });
    const container = job.spec.template.spec.containers[0];
    expect(container.command.slice(-2)).toEqual(['qwen3:8b', 'kimi-k2.6:cloud']);
    expect(container.env[0]).toEqual({ name: 'OLLAMA_HOST', value: 'http://ollama.ollama-agents.svc.cluster.local:11434' });
  });

  it('has no pull Job without models', () => {
    expect(synthChart(ollama({ models: [] }).chart).some((o) => o.kind === 'Job')).toBe(false);
  });

  it('mounts a signin key from a Secret by reference', () => {
    const pod = synthChart(ollama({ signinKeySecret: { name: 'ollama-signin', key: 'id_ed25519' } }).chart).find((o) => o.kind === 'StatefulSet').spec.template
      .spec;
    expect(pod.volumes).toContainEqual({
      name: 'signin-key',
      secret: { secretName: 'ollama-signin', defaultMode: 0o440, items: [{ key: 'id_ed25519', path: 'id_ed25519' }] },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'signin-key', mountPath: '/data/.ollama/id_ed25519', subPath: 'id_ed25519', readOnly: true });
  });

  it('adds the nvidia runtime class and a GPU limit', () => {
    const pod = synthChart(ollama({ gpu: { count: 2 } }).chart).find((o) => o.kind === 'StatefulSet').spec.template.spec;
    expect(pod.runtimeClassName).toBe('nvidia');
    expect(pod.containers[0].resources.limits['nvidia.com/gpu']).toBe('2');
  });

  it.each([
    [{ numParallel: 0 }, 'numParallel must be a whole number ≥ 1, got 0'],
    [{ numParallel: -2 }, 'numParallel must be a whole number ≥ 1, got -2'],
    [{ numParallel: 1.5 }, 'numParallel must be a whole number ≥ 1, got 1.5'],
    [{ maxLoadedModels: 0 }, 'maxLoadedModels must be a whole number ≥ 1, got 0'],
    [{ maxQueue: 2.5 }, 'maxQueue must be a whole number ≥ 1, got 2.5'],
    [{ contextLength: 100 }, 'contextLength must be a whole number ≥ 256, got 100'],
    [{ keepAlive: 'forever' }, 'keepAlive "forever" is not a duration; use e.g. "30m", "1h", "-1" (forever) or "0"'],
    [{ image: 'ollama/ollama:latest' }, 'image "ollama/ollama:latest" is not pinned'],
    [{ gpu: { count: 0 } }, 'gpu.count must be a whole number ≥ 1, got 0; omit gpu for CPU-only'],
  ])('rejects %o', (props, message) => {
    expect(() => ollama(props as Partial<OllamaProps>)).toThrow(`test/ollama: ${message}`);
  });

  it('accepts Go durations for keepAlive', () => {
    for (const keepAlive of ['5m', '1h30m', '-1', '0', '300']) expect(() => ollama({ keepAlive })).not.toThrow();
  });
});

describe('ModelConfigs', () => {
  it('names an Ollama ModelConfig after the seed and points at the Ollama Service', () => {
    const { chart, server } = ollama();
    const config = new OllamaModelConfig(chart, 'kimi', { ollama: server, model: 'kimi-k2.6:cloud', options: { num_ctx: '32768' }, namespace: 'kagent' });
    expect(config.name).toBe('ollama-agents-kimi-k2-6-cloud');
    const rendered = synthChart(chart).find((o) => o.kind === 'ModelConfig');
    expect(rendered).toEqual({
      apiVersion: 'kagent.dev/v1alpha2',
      kind: 'ModelConfig',
      metadata: { name: 'ollama-agents-kimi-k2-6-cloud', namespace: 'kagent' },
      spec: {
        provider: 'Ollama',
        model: 'kimi-k2.6:cloud',
        ollama: { host: 'http://ollama.ollama-agents.svc.cluster.local:11434', options: { num_ctx: '32768' } },
      },
    });
  });

  it('pulls every model its ModelConfigs use, once, after the declared ones', () => {
    const { chart, server } = ollama();
    new OllamaModelConfig(chart, 'glm', { ollama: server, model: 'glm-5.1:cloud' });
    new OllamaModelConfig(chart, 'glm-again', { ollama: server, model: 'glm-5.1:cloud', name: 'glm-2' });
    const job = Testing.synth(chart).find((o) => o.kind === 'Job');
    expect(job.spec.template.spec.containers[0].command.slice(4)).toEqual([...server.models]);
    expect(server.models.filter((m) => m === 'glm-5.1:cloud')).toHaveLength(1);
    expect(() => server.addModel('not a model')).toThrow(
      'test/ollama: model "not a model" must be an Ollama model name with a tag, such as "qwen3:8b" or "kimi-k2.6:cloud"',
    );
  });

  it('defaults OLLAMA_NUM_PARALLEL to 4 so a swarm is not serialized', () => {
    const { chart } = testScope('ollama-agents');
    new Ollama(chart, 'o', { namespace: 'ollama-agents' });
    const env = Testing.synth(chart).find((o) => o.kind === 'StatefulSet').spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'OLLAMA_NUM_PARALLEL', value: '4' });
    expect(Testing.synth(chart).some((o) => o.kind === 'Job')).toBe(false);
  });

  it('renders OpenAI and Anthropic with API keys from Secrets', () => {
    const { chart } = testScope();
    new OpenAiModelConfig(chart, 'gpt', { model: 'gpt-4.1-mini', apiKeySecret: { name: 'openai', key: 'OPENAI_API_KEY' }, baseUrl: 'http://litellm:4000/v1' });
    new AnthropicModelConfig(chart, 'claude', { model: 'claude-sonnet-4', apiKeySecret: { name: 'anthropic', key: 'key' }, maxTokens: 4096 });
    const [gpt, claude] = synthChart(chart).filter((o) => o.kind === 'ModelConfig');
    expect(gpt.metadata.name).toBe('openai-gpt-4-1-mini');
    expect(gpt.spec).toEqual({
      provider: 'OpenAI',
      model: 'gpt-4.1-mini',
      apiKeySecret: 'openai',
      apiKeySecretKey: 'OPENAI_API_KEY',
      openAI: { baseUrl: 'http://litellm:4000/v1' },
    });
    expect(claude.spec).toEqual({
      provider: 'Anthropic',
      model: 'claude-sonnet-4',
      apiKeySecret: 'anthropic',
      apiKeySecretKey: 'key',
      anthropic: { maxTokens: 4096 },
    });
  });

  it('mirrors the CRD rule that an API key needs a Secret', () => {
    const { chart } = testScope();
    expect(() => new OpenAiModelConfig(chart, 'gpt', { model: 'gpt-4.1', apiKeySecret: { name: '', key: 'OPENAI_API_KEY' } })).toThrow(
      'test/gpt: apiKeySecret must name a Secret and a key, e.g. { name: "my-secret", key: "token" }; the value itself never goes into git',
    );
    expect(() => new AnthropicModelConfig(chart, 'c', { model: 'claude', apiKeySecret: { name: 'a', key: 'k' }, maxTokens: 0 })).toThrow(
      'test/c: maxTokens must be a whole number ≥ 1, got 0',
    );
  });
});

describe('model names', () => {
  afterEach(() => vi.restoreAllMocks());

  it('need a tag: an untagged name would pull whatever "latest" is that day', () => {
    const { server } = ollama();
    expect(() => server.addModel('qwen3')).toThrow(
      'test/ollama: model "qwen3" must name a tag such as "qwen3:8b": untagged, Ollama pulls whatever "latest" is that day (spell out "qwen3:latest" to accept that)',
    );
    expect(() => ollama({ models: ['library/llama3.2'] })).toThrow('test/ollama: model "library/llama3.2" must name a tag');
    expect(server.models).toEqual(['kimi-k2.6:cloud']);
  });

  it('accept ":latest" spelled out, with one warning on stderr', () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const { server } = ollama();
    server.addModel('qwen3:latest');
    server.addModel('qwen3:latest');
    server.addModel('qwen3:8b');
    expect(server.models).toEqual(['kimi-k2.6:cloud', 'qwen3:latest', 'qwen3:8b']);
    expect(stderr.mock.calls.map(([text]) => text)).toEqual([
      'warning: test/ollama: model "qwen3:latest" follows "latest": a later sync may pull a different model; pin a tag such as "qwen3:8b"\n',
    ]);
  });

  it('tell cloud models apart, which run on ollama.com', () => {
    const { server } = ollama({ models: ['kimi-k2.6:cloud', 'gpt-oss:120b-cloud', 'qwen3:8b', 'cloudy:7b'] });
    expect(server.cloudModels).toEqual(['kimi-k2.6:cloud', 'gpt-oss:120b-cloud']);
  });
});

describe('SECRETS.md for :cloud models', () => {
  it('without a signin key Secret: the one-time ollama signin in the pod, after the first sync', () => {
    const { app } = ollama({ models: ['kimi-k2.6:cloud', 'qwen3:8b'] });
    const doc = renderSecrets(app, { namespacesPath: 'dist/namespaces/', rootApplicationPath: 'dist/argocd/root.yaml' });
    expect(doc).toContain(
      '3. The root Application: `kubectl apply -f dist/argocd/root.yaml`\n4. Sign Ollama in for its `:cloud` models, once its pod runs (below).\n',
    );
    expect(doc).toContain(
      [
        '## Ollama cloud models',
        '',
        '`kimi-k2.6:cloud` runs on ollama.com, so the Ollama server in `ollama-agents` must be signed in.',
        'It has no signin key Secret: sign it in once, after the first sync (when its pod runs), and open the link it prints:',
        '',
        '```sh',
        'kubectl -n ollama-agents exec -it ollama-0 -- ollama signin',
        '```',
      ].join('\n'),
    );
  });

  it('with a signin key Secret: the Secret, from a key ollama signin registered', () => {
    const { app } = ollama({ signinKeySecret: { name: 'ollama-signin', key: 'id_ed25519' } });
    const doc = renderSecrets(app, { namespacesPath: 'dist/namespaces/', rootApplicationPath: 'dist/argocd/root.yaml' });
    expect(doc).not.toContain('4. Sign Ollama in');
    expect(doc).not.toContain('exec -it');
    expect(doc).toContain('kubectl -n ollama-agents create secret generic ollama-signin --from-file=id_ed25519=$HOME/.ollama/id_ed25519');
    expect(doc).toContain(
      '`kimi-k2.6:cloud` runs on ollama.com, so the Ollama server in `ollama-agents` must be signed in.\nIt signs in with the key in Secret `ollama-signin` (above).',
    );
  });

  it('say nothing of signing in without :cloud models', () => {
    const { app } = ollama({ models: ['qwen3:8b'] });
    expect(renderSecrets(app)).not.toContain('Ollama cloud models');
  });
});

import { describe, expect, it } from 'vitest';
import { renderSecrets } from '../../src/reports/secrets-inventory';
import { chatFixture, findOne } from '../pipe/open-webui-fixture';

function render(props: Parameters<ReturnType<typeof chatFixture>['openWebUi']>[0] = {}, ollamaModels?: readonly string[]) {
  const fixture = chatFixture(ollamaModels);
  const openWebUi = fixture.openWebUi(props);
  const files = fixture.render();
  const sts = findOne(files, 'StatefulSet', 'open-webui');
  const env = Object.fromEntries(sts.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  return { fixture, openWebUi, files, sts, env };
}

describe('Open WebUI', () => {
  it('runs one pinned replica on a PVC with /health probes, wired to Ollama and the bridge /v1, forwarding the chat id', () => {
    const { sts, env, files } = render();
    const container = sts.spec.template.spec.containers[0];
    expect(sts.spec.replicas).toBe(1);
    expect(container.image).toBe('ghcr.io/open-webui/open-webui:v0.11.0');
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/app/backend/data' }]);
    expect(container.readinessProbe.httpGet.path).toBe('/health');
    expect(findOne(files, 'PersistentVolumeClaim', 'open-webui-data').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
    });
    expect(env.OLLAMA_BASE_URL).toBe('http://ollama.ollama-agents.svc.cluster.local:11434');
    expect(env.OPENAI_API_BASE_URLS).toBe('http://a2a-bridge.open-webui.svc.cluster.local:8080/v1');
    expect(env.ENABLE_FORWARD_USER_INFO_HEADERS).toBe('true');
    expect(env.OPENAI_API_KEYS).toEqual({ secretKeyRef: { name: 'a2a-bridge-api-keys', key: 'open-webui-key' } });
    expect(env.WEBUI_SECRET_KEY).toEqual({ secretKeyRef: { name: 'open-webui-secret', key: 'webui-secret-key' } });
    for (const name of ['TASK_MODEL', 'TASK_MODEL_EXTERNAL', 'TOOL_SERVER_CONNECTIONS']) expect(env[name]).toBeUndefined();
  });

  it('adds an Ingress for a configured host', () => {
    const { files } = render({ ingress: { host: 'chat.lab.example', ingressClassName: 'cilium' } });
    expect(findOne(files, 'Ingress', 'open-webui').spec).toEqual({
      ingressClassName: 'cilium',
      rules: [
        {
          host: 'chat.lab.example',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'open-webui', port: { number: 8080 } } } }] },
        },
      ],
    });
    expect(() => findOne(render().files, 'Ingress', 'open-webui')).toThrow('found 0');
  });

  it('accepts a namespace by name (NamespaceInput)', () => {
    const fixture = chatFixture();
    const openWebUi = fixture.openWebUi({ namespace: 'chat' });
    expect(openWebUi.url).toBe('http://open-webui.chat.svc.cluster.local:8080');
  });
});

describe('Open WebUI taskModel', () => {
  it('points TASK_MODEL (Ollama chats) and TASK_MODEL_EXTERNAL (agent chats) at a small Ollama model', () => {
    const { env } = render({ taskModel: 'qwen3:0.6b' });
    expect(env.TASK_MODEL).toBe('qwen3:0.6b');
    expect(env.TASK_MODEL_EXTERNAL).toBe('qwen3:0.6b');
  });

  it('rejects a model the Ollama construct does not declare, naming the declared ones', () => {
    expect(() => render({ taskModel: 'llama3.2:1b' })).toThrow(
      'openwebui/open-webui: taskModel "llama3.2:1b" is not declared on the Ollama server (declared: kimi-k2.6:cloud, qwen3:0.6b); add it to the Ollama\'s models so it is pulled',
    );
  });
});

describe('Open WebUI storage and labels', () => {
  it('sets the PVC StorageClass and rejects a malformed one', () => {
    const { files } = render({ storageClassName: 'local-path', storageSize: '20Gi' });
    expect(findOne(files, 'PersistentVolumeClaim', 'open-webui-data').spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local-path',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(() => render({ storageClassName: 'Local Path' })).toThrow('openwebui/open-webui: storageClassName "Local Path" is not a StorageClass name');
  });

  it('adds pod labels without changing the selector', () => {
    const { sts, openWebUi } = render({ podLabels: { 'platform.example/egress': 'kagent' } });
    expect(sts.spec.template.metadata.labels).toEqual({ 'platform.example/egress': 'kagent', 'app.kubernetes.io/name': 'open-webui' });
    expect(sts.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'open-webui' });
    expect(openWebUi.podLabels).toEqual(sts.spec.template.metadata.labels);
  });
});

describe('Open WebUI and the bridge key', () => {
  it('sends the bridge the key from the same Secret, one per URL, and lists that key for the operator', () => {
    const { env, fixture } = render();
    expect(env.OPENAI_API_BASE_URLS.split(';')).toHaveLength(1);
    expect(env.OPENAI_API_KEYS).toEqual({ secretKeyRef: { name: fixture.bridge.apiKeys.accepted.name, key: 'open-webui-key' } });
    expect(renderSecrets(fixture.app)).toContain(
      '| open-webui | a2a-bridge-api-keys | open-webui-key | Bearer key Open WebUI sends to the A2A bridge (one of the api-keys) |',
    );
    expect(renderSecrets(fixture.app)).toContain(
      "kubectl -n open-webui create secret generic a2a-bridge-api-keys --from-literal=api-keys='…' --from-literal=open-webui-key='…'",
    );
  });

  it('has no OpenAI connection, and so no key, without the bridge', () => {
    const { env } = render({ bridge: undefined });
    expect(env.ENABLE_OPENAI_API).toBe('false');
    expect(env.OPENAI_API_KEYS).toBeUndefined();
    expect(env.ENABLE_FORWARD_USER_INFO_HEADERS).toBe('true');
  });
});

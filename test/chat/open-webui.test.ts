import { describe, expect, it } from 'vitest';
import { REFERENCE_CONFIG } from '../../src/config/reference-config';
import { find, renderReference } from '../support/platform';

const files = renderReference();

describe('Open WebUI options', () => {
  it('adds an Ingress for a configured host', () => {
    const withHost = renderReference({ ...REFERENCE_CONFIG, openWebUi: { ...REFERENCE_CONFIG.openWebUi, host: 'chat.lab.example', ingressClassName: 'cilium' } });
    const ingress = find(withHost, 'Ingress', 'open-webui', 'open-webui');
    expect(ingress.spec).toEqual({
      ingressClassName: 'cilium',
      rules: [{ host: 'chat.lab.example', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'open-webui', port: { number: 8080 } } } }] } }],
    });
    expect(() => find(files, 'Ingress', 'open-webui')).toThrow('found 0');
  });
});

describe('Open WebUI and the bridge in the reference platform', () => {
  const sts = find(files, 'StatefulSet', 'open-webui', 'open-webui');
  const env = Object.fromEntries(sts.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));

  it('runs one pinned replica on a PVC with /health probes', () => {
    const container = sts.spec.template.spec.containers[0];
    expect(sts.spec.replicas).toBe(1);
    expect(container.image).toBe('ghcr.io/open-webui/open-webui:v0.11.0');
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/app/backend/data' }]);
    expect(container.readinessProbe.httpGet.path).toBe('/health');
    expect(find(files, 'PersistentVolumeClaim', 'open-webui-data').spec.resources.requests.storage).toBe('10Gi');
  });

  it('is wired to Ollama, the bridge /v1, and forwards the chat id header', () => {
    expect(env.OLLAMA_BASE_URL).toBe('http://ollama.ollama-agents.svc.cluster.local:11434');
    expect(env.OPENAI_API_BASE_URLS).toBe('http://a2a-bridge.open-webui.svc.cluster.local:8080/v1');
    expect(env.ENABLE_FORWARD_USER_INFO_HEADERS).toBe('true');
    expect(env.WEBUI_SECRET_KEY).toEqual({ secretKeyRef: { name: 'open-webui-secret', key: 'webui-secret-key' } });
  });

  it('runs the bundled bridge on the pinned node image, pointed at the kagent controller', () => {
    const bridge = find(files, 'Deployment', 'a2a-bridge', 'open-webui');
    const container = bridge.spec.template.spec.containers[0];
    const bridgeEnv = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
    expect(container.image).toBe('node:20.20.2-alpine');
    expect(container.command).toEqual(['node', '/app/bridge.cjs']);
    expect(bridgeEnv.A2A_BASE_URL).toBe('http://kagent-controller.kagent:8083/api/a2a');
    expect(bridgeEnv.AGENTS).toBe('kagent/jairix,kagent/azure-devops,kagent/my-first-k8s-agent,kagent/research,kagent/grafana');
    const bundle = find(files, 'ConfigMap', 'a2a-bridge-bundle').data['bridge.cjs'];
    expect(bundle.length).toBeGreaterThan(1000);
    expect(bundle).toContain('message/stream');
    expect(find(files, 'Service', 'a2a-bridge').spec.ports[0].port).toBe(8080);
  });
});

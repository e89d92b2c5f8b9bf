import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { A2aBridge, type A2aBridgeProps } from '../../src/chat/a2a-bridge';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/core/platform-chart';
import { renderSecrets } from '../../src/reports/secrets-inventory';
import { chatFixture } from '../pipe/open-webui-fixture';

let charts = 0;
/** Synthesizes one bridge with these props (over the fixture's kagent and agents) in a chart of its own. */
function bridgeObjects(props: Partial<A2aBridgeProps> = {}): { deployment: any; container: any; chart: PlatformChart } {
  const fx = chatFixture();
  const chart = new PlatformChart(fx.app, `bridge-${++charts}`, { folder: `bridge-${charts}`, namespace: 'chat' });
  new A2aBridge(chart, 'bridge', {
    namespace: new TalosNamespace(chart, 'ns', { name: 'chat' }),
    kagent: fx.kagent,
    agents: fx.agents,
    bundle: '// bundle',
    image: 'node:24.11.1-alpine',
    ...props,
  });
  const deployment = Testing.synth(chart).find((o) => o.kind === 'Deployment');
  return { deployment, container: deployment.spec.template.spec.containers[0], chart };
}

const env = (container: any) =>
  Object.fromEntries(container.env.map((e: { name: string; value?: string; valueFrom?: unknown }) => [e.name, e.value ?? e.valueFrom]));

function build(props: Partial<A2aBridgeProps>): () => void {
  return () => {
    const fx = chatFixture();
    const chart = new PlatformChart(fx.app, 'bad', { folder: 'bad', namespace: 'chat' });
    new A2aBridge(chart, 'bridge', {
      namespace: new TalosNamespace(chart, 'ns', { name: 'chat' }),
      kagent: fx.kagent,
      agents: fx.agents,
      bundle: '//',
      image: 'node:24.11.1-alpine',
      ...props,
    });
  };
}

describe('A2aBridge production settings', () => {
  it('probes liveness and startup on /healthz and readiness on /readyz', () => {
    const { container } = bridgeObjects();
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(container.startupProbe.httpGet).toEqual({ path: '/healthz', port: 8080 });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8080 });
  });

  it('is scraped by Prometheus on /metrics', () => {
    const { deployment } = bridgeObjects();
    expect(deployment.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
  });

  it('defaults: auto A2A version, 1024 upstream sockets, 25 s grace inside a 30 s termination period', () => {
    const { deployment, container } = bridgeObjects();
    expect(env(container)).toMatchObject({ A2A_VERSION: 'auto', UPSTREAM_MAX_SOCKETS: '1024', SHUTDOWN_GRACE_MS: '25000', IDLE_TIMEOUT_MS: '300000' });
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBe(30);
  });

  it('passes a2aVersion, upstreamMaxSockets and shutdownGraceSeconds to the bridge', () => {
    const { deployment, container } = bridgeObjects({ a2aVersion: '0.3', upstreamMaxSockets: 200, shutdownGraceSeconds: 60 });
    expect(env(container)).toMatchObject({ A2A_VERSION: '0.3', UPSTREAM_MAX_SOCKETS: '200', SHUTDOWN_GRACE_MS: '60000' });
    expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(60);
    expect(env(bridgeObjects({ a2aVersion: '1.0' }).container).A2A_VERSION).toBe('1.0');
  });

  it.each([
    [{ a2aVersion: '2.0' as never }, 'bad/bridge: a2aVersion must be one of auto, 0.3, 1.0, got "2.0"'],
    [{ upstreamMaxSockets: 0 }, 'bad/bridge: upstreamMaxSockets must be a whole number ≥ 1, got 0'],
    [{ shutdownGraceSeconds: 2.5 }, 'bad/bridge: shutdownGraceSeconds must be a whole number ≥ 1, got 2.5'],
    [{ idleTimeoutSeconds: -1 }, 'bad/bridge: idleTimeoutSeconds must be a whole number ≥ 1, got -1'],
  ])('rejects %o', (props, message) => {
    expect(build(props)).toThrow(message);
  });
});

describe('A2aBridge keys and identity', () => {
  it('reads its bearer keys from a Secret by reference (on by default) and lists the Secret for the operator', () => {
    const { container, chart } = bridgeObjects();
    const keys = container.env.find((e: { name: string }) => e.name === 'BRIDGE_API_KEYS');
    expect(keys).toEqual({ name: 'BRIDGE_API_KEYS', valueFrom: { secretKeyRef: { name: 'a2a-bridge-api-keys', key: 'api-keys' } } });
    expect(renderSecrets(chart)).toContain(
      '| chat | a2a-bridge-api-keys | api-keys | Bearer keys the A2A bridge accepts, separated by commas or newlines (two while rotating); one is the open-webui-key value |',
    );
  });

  it('takes another Secret and key, and the identity settings', () => {
    const { container } = bridgeObjects({
      apiKeys: { secret: { name: 'chat-keys', key: 'accepted' }, openWebUiKey: 'ui' },
      identity: { userIdFrom: 'id', serviceUserId: 'chat-service' },
    });
    expect(env(container)).toMatchObject({
      BRIDGE_API_KEYS: { secretKeyRef: { name: 'chat-keys', key: 'accepted' } },
      USER_ID_FROM: 'id',
      SERVICE_USER_ID: 'chat-service',
    });
    expect(env(bridgeObjects().container)).toMatchObject({ USER_ID_FROM: 'email', SERVICE_USER_ID: 'open-webui-service' });
  });

  it.each([
    [
      { apiKeys: { openWebUiKey: 'api-keys' } },
      'bad/bridge: apiKeys.openWebUiKey "api-keys" is the key that lists every accepted key; name another key of Secret "a2a-bridge-api-keys"',
    ],
    [{ apiKeys: { secret: { name: 'Chat Keys', key: 'k' } } }, 'bad/bridge: apiKeys.secret.name'],
    [
      { identity: { serviceUserId: 'ops@lab.example' } },
      'bad/bridge: identity.serviceUserId must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit (no "@": it must never be a user\'s e-mail)',
    ],
  ])('rejects %o', (props, message) => {
    expect(build(props)).toThrow(message);
  });
});

import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parsePlatformConfig, type PlatformConfigInput } from '../../../src/platform/config/platform-config';
import { AgentPlatform } from '../../../src/platform/agent-platform';
import { renderTree } from '../../../src/synth/render-tree';

const minimal = { gitops: { repoUrl: 'https://git.lab/platform.git', targetRevision: 'main' }, models: { small: { provider: 'ollama', model: 'qwen3:8b' } } };

function problems(change: Record<string, unknown>): string {
  try {
    parsePlatformConfig({ ...minimal, ...change });
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('parsePlatformConfig', () => {
  it('names the bad value after the message: strings quoted, long ones cut, numbers as they are', () => {
    expect(problems({ ollama: { numParallel: 0 } })).toBe('invalid platform config:\n  - config.ollama.numParallel: must be at least 1; got 0');
    expect(problems({ storageClassName: 'Fast SSD' })).toBe(
      'invalid platform config:\n  - config.storageClassName: must be a StorageClass name such as "local-path"; got "Fast SSD"',
    );
    expect(problems({ namespaces: { kagent: `A${'b'.repeat(99)}` } })).toContain(`; got "A${'b'.repeat(79)}…"`);
  });

  it('names no value when there is none, or a whole object', () => {
    expect(problems({ searxng: {} })).toBe(
      'invalid platform config:\n  - config.searxng.secretKeySecret: is required: name the Secret and key that hold the value, e.g. { name: "my-secret", key: "token" }',
    );
    expect(problems({ olama: {} })).toBe('invalid platform config:\n  - config: Unrecognized key: "olama"');
  });

  it('builds the platform of the documented example (PlatformConfigInput)', () => {
    const config: PlatformConfigInput = {
      gitops: { repoUrl: 'https://github.com/me/lab.git', targetRevision: 'main' },
      ollama: {},
      models: { small: { provider: 'ollama', model: 'qwen3:8b' } },
      agents: [{ name: 'helper', description: 'Answers questions', model: 'small', prompt: { inline: 'You are helpful.' } }],
    };
    const app = new App();
    new AgentPlatform(app, 'lab', config, { bridgeBundle: 'console.log("bridge")' });
    expect(
      renderTree(app)
        .flatMap((f) => f.objects)
        .filter((o) => o.kind === 'Agent')
        .map((o) => o.metadata?.name),
    ).toEqual(['helper']);
  });

  it('defaults the bridge keys to Secret a2a-bridge-api-keys and the identity to the e-mail, else open-webui-service', () => {
    const openWebUi = { secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' } };
    expect(parsePlatformConfig({ ...minimal, openWebUi }).openWebUi).toMatchObject({
      bridgeApiKeys: { secret: { name: 'a2a-bridge-api-keys', key: 'api-keys' }, openWebUiKey: 'open-webui-key' },
      identity: { userIdFrom: 'email', serviceUserId: 'open-webui-service' },
    });
    const custom = { ...openWebUi, bridgeApiKeys: { secret: { name: 'chat-keys', key: 'accepted' } }, identity: { userIdFrom: 'id' } };
    expect(parsePlatformConfig({ ...minimal, openWebUi: custom }).openWebUi).toMatchObject({
      bridgeApiKeys: { secret: { name: 'chat-keys', key: 'accepted' }, openWebUiKey: 'open-webui-key' },
      identity: { userIdFrom: 'id', serviceUserId: 'open-webui-service' },
    });
  });

  it('rejects a service user id that could be an e-mail, an unknown user id field and a bad Secret key', () => {
    const openWebUi = (extra: Record<string, unknown>) => ({
      openWebUi: { secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' }, ...extra },
    });
    expect(problems(openWebUi({ identity: { serviceUserId: 'ops@lab.example' } }))).toContain(
      'config.openWebUi.identity.serviceUserId: must be 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit (no "@": it must never be a user\'s e-mail), e.g. "open-webui-service"; got "ops@lab.example"',
    );
    expect(problems(openWebUi({ identity: { userIdFrom: 'name' } }))).toContain('config.openWebUi.identity.userIdFrom:');
    expect(problems(openWebUi({ bridgeApiKeys: { openWebUiKey: 'a key' } }))).toContain('config.openWebUi.bridgeApiKeys.openWebUiKey: must be a Secret key');
  });

  it('wires the bridge keys and the identity into the bridge, Open WebUI and the Pipe', () => {
    const app = new App();
    new AgentPlatform(
      app,
      'lab',
      {
        ...minimal,
        ollama: {},
        agents: [{ name: 'helper', description: 'Answers questions', model: 'small', prompt: { inline: 'You are helpful.' } }],
        openWebUi: {
          secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
          pipe: {},
          bridgeApiKeys: { secret: { name: 'chat-keys', key: 'accepted' }, openWebUiKey: 'ui' },
          identity: { userIdFrom: 'id', serviceUserId: 'chat-service' },
        },
      } as PlatformConfigInput,
      { bridgeBundle: 'console.log("bridge")' },
    );
    const files = renderTree(app);
    const objects = files.flatMap((f) => f.objects) as any[];
    const env = (kind: string) =>
      objects.find((o) => o.kind === kind && o.metadata.name === (kind === 'Deployment' ? 'a2a-bridge' : 'open-webui')).spec.template.spec.containers[0].env;
    expect(env('Deployment')).toEqual(
      expect.arrayContaining([
        { name: 'BRIDGE_API_KEYS', valueFrom: { secretKeyRef: { name: 'chat-keys', key: 'accepted' } } },
        { name: 'USER_ID_FROM', value: 'id' },
        { name: 'SERVICE_USER_ID', value: 'chat-service' },
      ]),
    );
    expect(env('StatefulSet')).toContainEqual({ name: 'OPENAI_API_KEYS', valueFrom: { secretKeyRef: { name: 'chat-keys', key: 'ui' } } });
    const pipe = files.find((f) => f.path.endsWith('a2a_pipe.py'))!.content;
    expect(pipe).toContain('Field(default="id"');
    expect(pipe).toContain('Field(default="chat-service"');
  });

  it('accepts an Ollama model on ":latest" spelled out (the Ollama construct warns)', () => {
    expect(parsePlatformConfig({ ...minimal, models: { small: { provider: 'ollama', model: 'qwen3:latest' } } }).models.small.model).toBe('qwen3:latest');
  });
});

import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parsePlatformConfig, type PlatformConfigInput } from '../../src/config/platform-config';
import { AgentPlatform } from '../../src/platform/agent-platform';
import { renderTree } from '../../src/synth/render-tree';

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
    expect(problems({ storageClassName: 'Fast SSD' })).toBe('invalid platform config:\n  - config.storageClassName: must be a StorageClass name such as "local-path"; got "Fast SSD"');
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
    expect(renderTree(app).flatMap((f) => f.objects).filter((o) => o.kind === 'Agent').map((o) => o.metadata?.name)).toEqual(['helper']);
  });

  it('accepts an Ollama model on ":latest" spelled out (the Ollama construct warns)', () => {
    expect(parsePlatformConfig({ ...minimal, models: { small: { provider: 'ollama', model: 'qwen3:latest' } } }).models.small.model).toBe('qwen3:latest');
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSIONS } from '../../src/core/versions';
import { REPO_ROOT } from '../support/platform';

describe('VERSIONS, the one place for every pin', () => {
  it.each(['bridge/Dockerfile', 'docker/azure-devops-mcp/Dockerfile'])('%s builds on the Node LTS the platform runs', (dockerfile) => {
    const from = readFileSync(join(REPO_ROOT, dockerfile), 'utf8').match(/^FROM (\S+)/m)?.[1];
    expect(from).toBe(VERSIONS.images.node);
  });
});

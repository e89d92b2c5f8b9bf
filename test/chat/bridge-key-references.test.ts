/**
 * The bridge's keys exist only in the Secret: the rendered tree names it, never a value, even when the operator's
 * shell holds the keys while synthesizing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../src/synth/render-tree';
import { TEST_API_KEYS } from '../support/bridge-harness';
import { find, objectsOf, renderReference } from '../support/platform';

/** Every container env entry in the tree, with where it is. */
function envEntries(files: readonly RenderedFile[]): Array<{ where: string; name: string; value?: string; valueFrom?: unknown }> {
  return objectsOf(files).flatMap((o: any) => {
    const pod = o.spec?.template?.spec ?? o.spec?.jobTemplate?.spec?.template?.spec;
    return [...(pod?.initContainers ?? []), ...(pod?.containers ?? [])].flatMap((c: any) =>
      (c.env ?? []).map((e: any) => ({ where: `${o.kind}/${o.metadata.name}/${c.name}`, ...e })),
    );
  });
}

describe('the rendered tree and the bridge keys', () => {
  const saved = { BRIDGE_API_KEYS: process.env.BRIDGE_API_KEYS, OPENAI_API_KEYS: process.env.OPENAI_API_KEYS };
  let files: RenderedFile[];
  beforeAll(() => {
    process.env.BRIDGE_API_KEYS = TEST_API_KEYS.join(',');
    process.env.OPENAI_API_KEYS = TEST_API_KEYS[0];
    files = renderReference();
  });
  afterAll(() => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('holds no key value in any file', () => {
    for (const file of files) for (const key of TEST_API_KEYS) expect(file.content, file.path).not.toContain(key);
  });

  it('gives every key, token and secret variable by reference, never as a value', () => {
    const secretLike = envEntries(files).filter((e) => /KEYS?$|TOKEN|SECRET|PASSWORD/.test(e.name));
    expect(secretLike.map((e) => e.name)).toEqual(expect.arrayContaining(['BRIDGE_API_KEYS', 'OPENAI_API_KEYS']));
    for (const entry of secretLike)
      expect(entry, entry.where).toEqual({ where: entry.where, name: entry.name, valueFrom: { secretKeyRef: expect.any(Object) } });
  });

  it('points the bridge and Open WebUI at the two keys of one Secret, and SECRETS.md lists both', () => {
    const bridge = find(files, 'Deployment', 'a2a-bridge').spec.template.spec.containers[0].env;
    const openWebUi = find(files, 'StatefulSet', 'open-webui').spec.template.spec.containers[0].env;
    expect(bridge).toContainEqual({ name: 'BRIDGE_API_KEYS', valueFrom: { secretKeyRef: { name: 'a2a-bridge-api-keys', key: 'api-keys' } } });
    expect(openWebUi).toContainEqual({ name: 'OPENAI_API_KEYS', valueFrom: { secretKeyRef: { name: 'a2a-bridge-api-keys', key: 'open-webui-key' } } });
    expect(openWebUi).toContainEqual({ name: 'ENABLE_FORWARD_USER_INFO_HEADERS', value: 'true' });
    const secrets = files.find((f) => f.path === 'SECRETS.md')!.content;
    expect(secrets).toContain("kubectl -n open-webui create secret generic a2a-bridge-api-keys --from-literal=api-keys='…' --from-literal=open-webui-key='…'");
  });
});

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object';
import { compareQuantities, isWholeQuantity, parseQuantity, type QuantityValue } from '../../src/core/quantity';
import { objectQuantityViolations, podSpecQuantityViolations } from '../../src/validation/quantity-fields';

const q = (written: string | number): QuantityValue => {
  const value = parseQuantity(written);
  if (!value) throw new Error(`${written} does not parse`);
  return value;
};

describe('quantities', () => {
  it('accepts the suffixes and forms resource.ParseQuantity accepts', () => {
    for (const ok of [
      '1',
      '0',
      '+1',
      '-1',
      '1.5',
      '.5',
      '1.',
      '250m',
      '1Ki',
      '1Mi',
      '1Gi',
      '1Ti',
      '1Pi',
      '1Ei',
      '1k',
      '1M',
      '1G',
      '1T',
      '1P',
      '1E',
      '1n',
      '1u',
      '1e3',
      '1E-2',
      2,
      0.5,
    ]) {
      expect(parseQuantity(ok), String(ok)).toBeDefined();
    }
  });

  it('rejects what the decoder rejects', () => {
    for (const bad of ['', '1MB', '1GB', '1gi', '1K', '1mi', '1 Gi', 'Gi', '1e', '1.5.5', 'one']) expect(parseQuantity(bad), bad).toBeUndefined();
  });

  it('compares exact values across suffixes', () => {
    expect(compareQuantities(q('1Gi'), q('1024Mi'))).toBe(0);
    expect(compareQuantities(q('1Gi'), q('1073741824'))).toBe(0);
    expect(compareQuantities(q('300m'), q('0.3'))).toBe(0);
    expect(compareQuantities(q('1G'), q('1Gi'))).toBe(-1);
    expect(compareQuantities(q('2'), q('1500m'))).toBe(1);
    expect(compareQuantities(q('1e3'), q('1k'))).toBe(0);
    expect(isWholeQuantity(q('2000m'))).toBe(true);
    expect(isWholeQuantity(q('0.5'))).toBe(false);
  });

  it('checks the quantity fields of pod specs and of PVCs, quotas and limit ranges', () => {
    const spec = { containers: [{ resources: { limits: { memory: '1GB' } } }], volumes: [{ name: 'v', emptyDir: { sizeLimit: '-1Gi' } }] };
    expect(podSpecQuantityViolations(spec, '/spec')).toEqual([
      { path: '/spec/containers/0/resources/limits/memory', message: expect.stringMatching(/^"1GB" is not a quantity/) },
      { path: '/spec/volumes/0/emptyDir/sizeLimit', message: '"-1Gi" is negative: an amount of a resource must be 0 or more' },
    ]);
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '4 cores', pods: '20' } } } as KubeObject;
    expect(objectQuantityViolations(quota).map((v) => v.path)).toEqual(['/spec/hard/requests.cpu']);
    const limits = {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'l' },
      spec: { limits: [{ type: 'Container', default: { memory: '512mb' } }] },
    } as KubeObject;
    expect(objectQuantityViolations(limits).map((v) => v.path)).toEqual(['/spec/limits/0/default/memory']);
  });
});

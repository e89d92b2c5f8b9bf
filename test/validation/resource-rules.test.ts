import { describe, expect, it } from 'vitest';
import { containerResourceViolations } from '../../src/validation/resource-rules';

const at = '/spec/containers/0/resources';

describe('resource requirements', () => {
  it('accepts requests at or under their limits, whatever the suffixes', () => {
    expect(containerResourceViolations({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1024Mi' } }, at)).toEqual([]);
  });

  it('rejects a request over its limit', () => {
    expect(containerResourceViolations({ requests: { cpu: '1500m' }, limits: { cpu: '1' } }, at)).toEqual([
      { path: `${at}/requests/cpu`, message: 'request "1500m" is greater than the cpu limit "1": lower the request or raise the limit' },
    ]);
  });

  it('does not let extended resources or hugepages be overcommitted', () => {
    expect(containerResourceViolations({ limits: { 'nvidia.com/gpu': '1' } }, at)).toEqual([]);
    expect(containerResourceViolations({ requests: { 'nvidia.com/gpu': '1' } }, at)).toEqual([
      { path: `${at}/limits`, message: 'nvidia.com/gpu cannot be overcommitted: set limits.nvidia.com/gpu equal to its request "1"' },
    ]);
    expect(containerResourceViolations({ requests: { memory: '1Gi', 'hugepages-2Mi': '2Mi' }, limits: { memory: '1Gi', 'hugepages-2Mi': '4Mi' } }, at)).toEqual(
      [{ path: `${at}/requests/hugepages-2Mi`, message: 'hugepages-2Mi cannot be overcommitted: the request "2Mi" must equal the limit "4Mi"' }],
    );
  });

  it('counts extended resources in whole units', () => {
    expect(containerResourceViolations({ requests: { 'nvidia.com/gpu': '500m' }, limits: { 'nvidia.com/gpu': '500m' } }, at).map((v) => v.path)).toEqual([
      `${at}/requests/nvidia.com~1gpu`,
      `${at}/limits/nvidia.com~1gpu`,
    ]);
  });

  it('only lets containers ask for container resources', () => {
    expect(containerResourceViolations({ requests: { storage: '1Gi' } }, at)).toEqual([
      { path: `${at}/requests/storage`, message: expect.stringMatching(/^"storage" is not a resource containers can ask for/) },
    ]);
    expect(
      containerResourceViolations({ limits: { 'ephemeral-storage': '1Gi', 'example.com/dongle': '2' }, requests: { 'example.com/dongle': '2' } }, at),
    ).toEqual([]);
  });
});

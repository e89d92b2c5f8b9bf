import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object';
import { serviceViolations } from '../../src/validation/service-rules';

const service = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec }) as KubeObject;
const paths = (spec: Record<string, unknown>) => serviceViolations(service(spec)).map((v) => v.path);

describe('Service rules', () => {
  it('accepts a Service with named ports, numeric and named target ports', () => {
    expect(
      serviceViolations(
        service({
          selector: { app: 'a' },
          ports: [
            { name: 'http', port: 80, targetPort: 'http' },
            { name: 'grpc', port: 9090, targetPort: 9091 },
          ],
        }),
      ),
    ).toEqual([]);
    expect(serviceViolations(service({ ports: [{ port: 80 }] }))).toEqual([]);
  });

  it('requires ports unless headless or ExternalName', () => {
    expect(paths({})).toEqual(['/spec/ports']);
    expect(paths({ clusterIP: 'None' })).toEqual([]);
    expect(paths({ type: 'ExternalName', externalName: 'db.example.com.' })).toEqual([]);
    expect(serviceViolations(service({ type: 'ExternalName' }))[0]).toEqual({
      path: '/spec/externalName',
      message: expect.stringMatching(/^required field is missing/),
    });
  });

  it('checks port names: RFC 1123 labels, unique, required when several', () => {
    expect(paths({ ports: [{ name: 'HTTP', port: 80 }, { name: 'a', port: 81 }, { name: 'a', port: 82 }, { port: 83 }] })).toEqual([
      '/spec/ports/0/name',
      '/spec/ports/2/name',
      '/spec/ports/3/name',
    ]);
    // Service port names are labels, not IANA names: longer than 15 characters is fine.
    expect(paths({ ports: [{ name: 'openai-compatible-api', port: 80 }] })).toEqual([]);
  });

  it('checks port numbers, target ports and duplicate protocol/port pairs', () => {
    expect(
      serviceViolations(
        service({
          ports: [
            { name: 'a', port: 0 },
            { name: 'b', port: 80, targetPort: 70000 },
            { name: 'c', port: 81, targetPort: 'Web_UI' },
            { name: 'd', port: 80, protocol: 'TCP' },
            { name: 'e', port: 80, protocol: 'UDP' },
          ],
        }),
      ),
    ).toEqual([
      { path: '/spec/ports/0/port', message: '0 is not a valid port number: must be between 1 and 65535, inclusive' },
      { path: '/spec/ports/1/targetPort', message: '70000 is not a valid port number: must be between 1 and 65535, inclusive' },
      { path: '/spec/ports/2/targetPort', message: expect.stringMatching(/^targetPort names a container port, and "Web_UI" is not a valid port name/) },
      { path: '/spec/ports/3', message: 'duplicate port TCP/80: each protocol and port pair may appear once' },
    ]);
  });

  it('allows node ports only on NodePort and LoadBalancer Services, inside the node port range', () => {
    expect(paths({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })).toEqual([]);
    expect(serviceViolations(service({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 8080 }] }))[0].message).toBe(
      '8080 is outside the node port range 30000-32767: pick a port in it, or leave nodePort out to have one allocated',
    );
    expect(paths({ ports: [{ port: 80, nodePort: 30080 }] })).toEqual(['/spec/ports/0/nodePort']);
  });

  it('checks selector labels', () => {
    expect(paths({ selector: { app: 'has space' }, ports: [{ port: 80 }] })).toEqual(['/spec/selector/app']);
  });
});

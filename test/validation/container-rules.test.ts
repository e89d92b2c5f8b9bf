import { describe, expect, it } from 'vitest';
import { containerViolations } from '../../src/validation/container-rules';
import { probeViolations } from '../../src/validation/probe-rules';

const main = { volumes: new Set(['data']), sidecarOrMain: true };
const at = '/spec/containers/0';
const paths = (container: Record<string, unknown>, context = main) => containerViolations(container, at, context).map((v) => v.path);

describe('container rules', () => {
  it('accepts a complete container', () => {
    expect(
      containerViolations(
        {
          name: 'ollama',
          image: 'ollama/ollama:0.5.0',
          ports: [{ name: 'http', containerPort: 11434, hostPort: 0 }],
          env: [{ name: 'OLLAMA_HOST', value: '0.0.0.0' }],
          volumeMounts: [{ name: 'data', mountPath: '/root/.ollama' }],
        },
        at,
        main,
      ),
    ).toEqual([]);
  });

  it('requires a name and an image', () => {
    expect(containerViolations({}, at, main)).toEqual([
      { path: `${at}/name`, message: 'required field is missing: name the container' },
      { path: `${at}/image`, message: 'required field is missing: set the container image' },
    ]);
  });

  it('checks port numbers, names and duplicates', () => {
    expect(
      paths({
        name: 'c',
        image: 'i',
        ports: [{ containerPort: 0 }, { containerPort: 80, hostPort: 70000 }, { name: 'web', containerPort: 81 }, { name: 'web', containerPort: 82 }],
      }),
    ).toEqual([`${at}/ports/0/containerPort`, `${at}/ports/1/hostPort`, `${at}/ports/3/name`]);
  });

  it('checks env names and mounts', () => {
    expect(
      containerViolations(
        {
          name: 'c',
          image: 'i',
          env: [{ value: 'x' }, { name: 'A=B' }],
          volumeMounts: [
            { name: 'data', mountPath: '/d' },
            { name: 'logs', mountPath: '/d' },
          ],
        },
        at,
        main,
      ),
    ).toEqual([
      { path: `${at}/env/0/name`, message: 'required field is missing: name the variable' },
      { path: `${at}/env/1/name`, message: expect.stringMatching(/^"A=B" is not a valid environment variable name/) },
      {
        path: `${at}/volumeMounts/1/name`,
        message: 'mounts volume "logs", which the pod does not declare (its volumes: "data"): add it to the pod\'s volumes or fix the name',
      },
      { path: `${at}/volumeMounts/1/mountPath`, message: '"/d" is mounted twice in this container: mount paths must be unique' },
    ]);
  });
});

describe('probe rules', () => {
  const http = { httpGet: { path: '/', port: 'http' } };

  it('accepts one handler per probe and hook', () => {
    expect(
      probeViolations(
        {
          livenessProbe: http,
          readinessProbe: { grpc: { port: 9090 } },
          startupProbe: { exec: { command: ['true'] } },
          lifecycle: { preStop: { sleep: { seconds: 5 } } },
        },
        at,
        true,
      ),
    ).toEqual([]);
  });

  it('rejects zero or several handlers, and bad handler ports', () => {
    expect(
      probeViolations(
        {
          livenessProbe: {},
          readinessProbe: { exec: { command: ['x'] }, grpc: { port: 1 } },
          startupProbe: { tcpSocket: { port: 'Bad_Name' } },
          lifecycle: { postStart: { httpGet: { path: '/' } } },
        },
        at,
        true,
      ),
    ).toEqual([
      { path: `${at}/livenessProbe`, message: 'must specify a handler type: set exactly one of exec, httpGet, tcpSocket, grpc' },
      { path: `${at}/readinessProbe/grpc`, message: 'may not specify more than 1 handler type: it sets exec and grpc; keep one' },
      { path: `${at}/startupProbe/tcpSocket/port`, message: expect.stringMatching(/^"Bad_Name" is not a valid port name/) },
      { path: `${at}/lifecycle/postStart/httpGet/port`, message: 'required field is missing: set the port number or a container port name' },
    ]);
    expect(probeViolations({ readinessProbe: { grpc: { port: 0 } } }, at, true)[0].path).toBe(`${at}/readinessProbe/grpc/port`);
  });

  it('requires successThreshold 1 for liveness and startup, and no grace period for readiness', () => {
    expect(
      probeViolations(
        { livenessProbe: { ...http, successThreshold: 2 }, readinessProbe: { ...http, successThreshold: 2, terminationGracePeriodSeconds: 5 } },
        at,
        true,
      ).map((v) => v.path),
    ).toEqual([`${at}/livenessProbe/successThreshold`, `${at}/readinessProbe/terminationGracePeriodSeconds`]);
  });

  it('forbids probes and hooks on plain init containers', () => {
    expect(probeViolations({ readinessProbe: http, lifecycle: {} }, '/spec/initContainers/0', false)).toEqual([
      {
        path: '/spec/initContainers/0/readinessProbe',
        message: 'readinessProbe may not be set for init containers without restartPolicy "Always": remove it, or make the container a sidecar',
      },
      {
        path: '/spec/initContainers/0/lifecycle',
        message: 'lifecycle may not be set for init containers without restartPolicy "Always": remove it, or make the container a sidecar',
      },
    ]);
  });
});

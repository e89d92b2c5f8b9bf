import { k8s } from './k8s';
import type { Construct } from 'constructs';

/** Where a workload answers HTTP. */
export interface HttpEndpoint {
  readonly name: string;
  readonly namespace: string;
  /** Pod labels, also the Service selector. */
  readonly labels: Record<string, string>;
  readonly port: number;
}

/** A ClusterIP Service named after the workload, port `http` → the same container port. */
export function httpService(scope: Construct, endpoint: HttpEndpoint): k8s.KubeService {
  return new k8s.KubeService(scope, 'Service', {
    metadata: { name: endpoint.name, namespace: endpoint.namespace, labels: endpoint.labels },
    spec: { selector: endpoint.labels, ports: [{ name: 'http', port: endpoint.port, targetPort: k8s.IntOrString.fromNumber(endpoint.port) }] },
  });
}

export interface HttpProbeOptions {
  /** Liveness and startup path. */
  readonly path: string;
  /**
   * Readiness path.
   * @default - `path`
   */
  readonly readinessPath?: string;
  readonly port: number;
  /** How long startup may take: failureThreshold × periodSeconds. */
  readonly startupFailureThreshold: number;
  readonly startupPeriodSeconds: number;
}

/** Startup, readiness and liveness probes over HTTP GET. */
export function httpProbes(options: HttpProbeOptions): Pick<k8s.Container, 'startupProbe' | 'readinessProbe' | 'livenessProbe'> {
  const probe = (path: string): k8s.Probe => ({ httpGet: { path, port: k8s.IntOrString.fromNumber(options.port) }, periodSeconds: 10 });
  return {
    startupProbe: { ...probe(options.path), failureThreshold: options.startupFailureThreshold, periodSeconds: options.startupPeriodSeconds },
    readinessProbe: probe(options.readinessPath ?? options.path),
    livenessProbe: { ...probe(options.path), failureThreshold: 6 },
  };
}

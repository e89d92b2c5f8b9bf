import { k8s } from './k8s';
import type { IConstruct } from 'constructs';
import { isQuantity } from './quantity';

/** CPU and memory for one container. Memory always has a limit; CPU limits are optional (throttling). */
export interface ContainerResources {
  /** CPU request, e.g. `100m`. */
  readonly cpuRequest: string;
  /** Memory request, e.g. `128Mi`. */
  readonly memoryRequest: string;
  /** Memory limit, e.g. `512Mi`. */
  readonly memoryLimit: string;
  /**
   * CPU limit.
   * @default - none
   */
  readonly cpuLimit?: string;
}

/** Throws unless every quantity parses. */
export function assertResources(scope: IConstruct, field: string, resources: ContainerResources): void {
  for (const [key, value] of Object.entries(resources)) {
    if (value !== undefined && !isQuantity(value)) {
      throw new Error(`${scope.node.path}: ${field}.${key} "${value}" is not a Kubernetes quantity (e.g. "500m" CPU, "512Mi" memory)`);
    }
  }
}

/** Renders as core ResourceRequirements. */
export function toResourceRequirements(resources: ContainerResources): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString(resources.cpuRequest), memory: k8s.Quantity.fromString(resources.memoryRequest) },
    limits: {
      memory: k8s.Quantity.fromString(resources.memoryLimit),
      ...(resources.cpuLimit ? { cpu: k8s.Quantity.fromString(resources.cpuLimit) } : {}),
    },
  };
}

/** Renders as plain strings, for CRDs and Helm values. */
export function toPlainResources(resources: ContainerResources): { requests: Record<string, string>; limits: Record<string, string> } {
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
    limits: { memory: resources.memoryLimit, ...(resources.cpuLimit ? { cpu: resources.cpuLimit } : {}) },
  };
}

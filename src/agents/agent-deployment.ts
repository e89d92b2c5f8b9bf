import * as kagent from '../../imports/kagent.dev';
import type { ContainerResources } from '../core/resources';

/**
 * The agent pod's deployment settings: resources, and the restricted Pod Security context the controller
 * copies onto the Deployment it creates (kagent ≥ 0.7.7).
 */
export function renderDeployment(resources: ContainerResources, uid: number): kagent.AgentSpecDeclarativeDeployment {
  const limits: Record<string, kagent.AgentSpecDeclarativeDeploymentResourcesLimits> = {
    memory: kagent.AgentSpecDeclarativeDeploymentResourcesLimits.fromString(resources.memoryLimit),
  };
  if (resources.cpuLimit) limits.cpu = kagent.AgentSpecDeclarativeDeploymentResourcesLimits.fromString(resources.cpuLimit);
  return {
    resources: {
      requests: {
        cpu: kagent.AgentSpecDeclarativeDeploymentResourcesRequests.fromString(resources.cpuRequest),
        memory: kagent.AgentSpecDeclarativeDeploymentResourcesRequests.fromString(resources.memoryRequest),
      },
      limits,
    },
    podSecurityContext: {
      runAsNonRoot: true,
      runAsUser: uid,
      runAsGroup: uid,
      fsGroup: uid,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

import * as kagent from '../../imports/kagent.dev';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/pod-security';
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
  // The restricted contexts without the two settings the agent pods have never had.
  const { fsGroupChangePolicy: _policy, ...podSecurityContext } = restrictedPodSecurityContext(uid);
  const { readOnlyRootFilesystem: _readOnly, ...securityContext } = restrictedContainerSecurityContext();
  return {
    resources: {
      requests: {
        cpu: kagent.AgentSpecDeclarativeDeploymentResourcesRequests.fromString(resources.cpuRequest),
        memory: kagent.AgentSpecDeclarativeDeploymentResourcesRequests.fromString(resources.memoryRequest),
      },
      limits,
    },
    podSecurityContext,
    securityContext,
  };
}

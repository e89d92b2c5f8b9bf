import type { KubeObject } from '../core/kube-object';
import type { PodSpecLike } from './pod-security-standard';

/** A pod the platform defines, with where it came from. */
export interface DefinedPod {
  readonly source: string;
  readonly namespace: string;
  readonly spec: PodSpecLike;
}

type Json = Record<string, any>;

/**
 * The pods an object will create: workload templates, the pod kagent's controller builds from an Agent's
 * deployment settings, and the MCP container ToolHive builds from an MCPServer's podTemplateSpec.
 */
export function podsOf(object: KubeObject): DefinedPod[] {
  const o = object as Json;
  const source = `${o.kind} ${o.metadata?.namespace}/${o.metadata?.name}`;
  const namespace = String(o.metadata?.namespace);
  switch (o.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'Job':
      return [{ source, namespace, spec: o.spec?.template?.spec ?? {} }];
    case 'Agent': {
      const deployment = o.spec?.declarative?.deployment ?? o.spec?.byo?.deployment ?? {};
      return [
        {
          source,
          namespace,
          spec: {
            securityContext: deployment.podSecurityContext,
            volumes: deployment.volumes,
            containers: [{ name: 'agent', securityContext: deployment.securityContext }],
          },
        },
      ];
    }
    case 'MCPServer': {
      const template = o.spec?.podTemplateSpec?.spec ?? {};
      return [{ source, namespace, spec: { ...template, containers: (template.containers ?? []).filter((c: Json) => c.name === 'mcp') } }];
    }
    default:
      return [];
  }
}

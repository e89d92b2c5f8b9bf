import type { Construct } from 'constructs';
import { k8s } from './k8s';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext, rootContainerSecurityContext, rootPodSecurityContext } from './pod-security';
import type { ContainerProbes } from './probes';
import { toResourceRequirements, type ContainerResources } from './resources';
import { retainedVolumeClaim } from './retained-volume-claim';

export interface WorkloadProps {
  /** Name of the workload, its ServiceAccount and its Service. */
  readonly name: string;
  readonly namespace: string;
  /** Labels of every object; they also select the pods. */
  readonly labels: Record<string, string>;
  /** The one port of the container and the Service; `targetByName` routes the Service to it by name, not number. */
  readonly port: { readonly name: string; readonly port: number; readonly targetByName?: boolean };
}

/** A volume (`volume` is its source) and where the container mounts it. */
export interface WorkloadMount extends k8s.VolumeMount {
  readonly volume: Omit<k8s.Volume, 'name'>;
}

export interface WorkloadContainer extends Pick<k8s.Container, 'name' | 'command' | 'args' | 'env'> {
  /** Pulled `IfNotPresent`. */
  readonly image: string;
  readonly resources: ContainerResources;
  /** Extended resources to limit, such as `nvidia.com/gpu`. */
  readonly extendedLimits?: Readonly<Record<string, string>>;
  readonly probes: ContainerProbes;
  readonly mounts: readonly WorkloadMount[];
}

export interface WorkloadPod {
  /** The uid under the `restricted` Pod Security Standard, or `'root'` for an image that only runs as root (`baseline`). */
  readonly user: number | 'root';
  /** Pod labels, including the workload's (the default). */
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
  readonly spec?: Pick<k8s.PodSpec, 'enableServiceLinks' | 'runtimeClassName' | 'terminationGracePeriodSeconds'>;
  readonly container: WorkloadContainer;
}

/** A mount of a new emptyDir volume of at most `sizeLimit`. */
export function emptyDirMount(name: string, mountPath: string, sizeLimit?: string): WorkloadMount {
  return { name, mountPath, volume: { emptyDir: sizeLimit ? { sizeLimit: k8s.Quantity.fromString(sizeLimit) } : {} } };
}

/**
 * The objects of one single-replica workload, as children `ServiceAccount`, `Data`, `Service` and `Resource` of
 * `scope` in the order its methods are called, all with the workload's name, namespace and labels. Its pod never
 * mounts a service-account token and runs under the restricted security context.
 */
export class WorkloadBuilder {
  private serviceAccountName?: string;

  constructor(
    private readonly scope: Construct,
    private readonly props: WorkloadProps,
  ) {}

  /** The ServiceAccount the pod runs as, named after the workload; its token is mounted only when asked. */
  public serviceAccount(automountToken = false): k8s.KubeServiceAccount {
    this.serviceAccountName = this.props.name;
    return new k8s.KubeServiceAccount(this.scope, 'ServiceAccount', { metadata: this.metadata(), automountServiceAccountToken: automountToken });
  }

  /** A claim Argo CD never prunes or deletes (named after the workload unless `name`), as the mount of volume `data`. */
  public claim(options: { name?: string; size: string; storageClassName?: string; mountPath: string }): WorkloadMount {
    const { name = this.props.name, size, storageClassName, mountPath } = options;
    retainedVolumeClaim(this.scope, { ...this.metadata(), name, size, storageClassName });
    return { name: 'data', mountPath, volume: { persistentVolumeClaim: { claimName: name } } };
  }

  /** A ClusterIP Service named after the workload, on its port. */
  public service(): k8s.KubeService {
    const { name, port, targetByName } = this.props.port;
    const targetPort = targetByName ? k8s.IntOrString.fromString(name) : k8s.IntOrString.fromNumber(port);
    return new k8s.KubeService(this.scope, 'Service', {
      metadata: this.metadata(),
      spec: { selector: this.props.labels, ports: [{ name, port, targetPort }] },
    });
  }

  /** A one-replica StatefulSet governed by the workload's Service. */
  public statefulSet(pod: WorkloadPod): k8s.KubeStatefulSet {
    const spec = { replicas: 1, serviceName: this.props.name, selector: { matchLabels: this.props.labels }, template: this.podTemplate(pod) };
    return new k8s.KubeStatefulSet(this.scope, 'Resource', { metadata: this.metadata(), spec });
  }

  /** A one-replica Deployment. */
  public deployment(pod: WorkloadPod): k8s.KubeDeployment {
    const spec = { replicas: 1, selector: { matchLabels: this.props.labels }, template: this.podTemplate(pod) };
    return new k8s.KubeDeployment(this.scope, 'Resource', { metadata: this.metadata(), spec });
  }

  private metadata(): { name: string; namespace: string; labels: Record<string, string> } {
    return { name: this.props.name, namespace: this.props.namespace, labels: this.props.labels };
  }

  private podTemplate(pod: WorkloadPod): k8s.PodTemplateSpec {
    const securityContext = pod.user === 'root' ? rootPodSecurityContext() : restrictedPodSecurityContext(pod.user);
    const volumes = pod.container.mounts.map(({ name, volume }) => ({ name, ...volume }));
    return {
      metadata: { labels: pod.labels ?? this.props.labels, annotations: pod.annotations },
      spec: {
        serviceAccountName: this.serviceAccountName,
        automountServiceAccountToken: false,
        securityContext,
        ...pod.spec,
        containers: [this.container(pod)],
        volumes,
      },
    };
  }

  private container({ user, container }: WorkloadPod): k8s.Container {
    const { resources, extendedLimits = {}, probes, mounts, ...rest } = container;
    const { requests, limits } = toResourceRequirements(resources);
    const extended = Object.fromEntries(Object.entries(extendedLimits).map(([name, value]) => [name, k8s.Quantity.fromString(value)]));
    return {
      ...rest,
      imagePullPolicy: 'IfNotPresent',
      ports: [{ name: this.props.port.name, containerPort: this.props.port.port }],
      resources: { requests, limits: { ...limits, ...extended } },
      securityContext: user === 'root' ? rootContainerSecurityContext() : restrictedContainerSecurityContext(),
      ...probes,
      volumeMounts: mounts.map(({ volume: _volume, ...mount }) => mount),
    };
  }
}

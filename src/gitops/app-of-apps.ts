import { Construct } from 'constructs';
import * as argo from '../../imports/argoproj.io';
import { ExtraFile } from '../core/extra-file';
import type { PlatformChart } from '../core/platform-chart';
import { toYaml } from '../synth/render-tree';
import { ArgoApplication } from './argo-application';
import type { HelmRelease } from '../core/helm-release';
import { ArgoProject } from './argo-project';
import type { GitSource } from './git-source';
import { APPLICATION_HEALTH_PATCH } from './application-health';
import { SyncWave, type SyncWaveValue } from '../core/sync-wave';

export interface AppOfAppsProps {
  /** Where Argo CD reads `dist/`. */
  readonly git: GitSource;
  /**
   * Argo CD's namespace.
   * @default 'argocd'
   */
  readonly argocdNamespace?: string;
  /**
   * Name of the root Application and of the AppProject.
   * @default 'agent-platform'
   */
  readonly name?: string;
  /** The chart this construct lives in; its folder holds every Application. */
  readonly folder: string;
  /**
   * The cluster the platform runs on, for a fleet managed from one Argo CD: child Applications deploy to its
   * API server and are named `<cluster>-<app>` so several clusters' Applications can share the hub.
   * @default - the cluster Argo CD runs in, names unprefixed
   */
  readonly cluster?: ClusterTarget;
}

/** A cluster registered in Argo CD. */
export interface ClusterTarget {
  /** Short name (DNS-1123 label), the prefix of the Applications. */
  readonly name: string;
  /** API server URL as registered in Argo CD (`argocd cluster add`), e.g. `https://10.0.0.10:6443`. */
  readonly server: string;
}

/** Argo CD's name for the cluster it runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

export interface AddChartOptions {
  /** Sync wave. */
  readonly wave: SyncWaveValue;
  /**
   * Delete the chart's resources with its Application.
   * @default - true, except for the namespaces wave (namespaces hold the volumes)
   */
  readonly cascadeDelete?: boolean;
  /**
   * The chart holds custom resources whose CRDs another application installs.
   * @default false
   */
  readonly customResources?: boolean;
}

/**
 * The app-of-apps: a root Application whose source is the Applications folder, an AppProject fenced to the
 * platform, one child Application per chart folder and per Helm chart, and the `argocd-cm` health patch that
 * makes the root wait for each wave's children to be healthy.
 */
export class AppOfApps extends Construct {
  public readonly name: string;
  public readonly argocdNamespace: string;
  public readonly project: ArgoProject;
  /** The API server the children deploy to. */
  public readonly destinationServer: string;
  private readonly git: GitSource;
  private readonly appPrefix: string;

  constructor(scope: Construct, id: string, props: AppOfAppsProps) {
    super(scope, id);
    this.name = props.cluster ? `${props.cluster.name}-${props.name ?? 'agent-platform'}` : (props.name ?? 'agent-platform');
    this.argocdNamespace = props.argocdNamespace ?? 'argocd';
    this.git = props.git;
    this.destinationServer = props.cluster?.server ?? IN_CLUSTER;
    this.appPrefix = props.cluster ? `${props.cluster.name}-` : '';
    if (props.cluster && !/^https:\/\/\S+$/.test(props.cluster.server)) {
      throw new Error(
        `${this.node.path}: cluster "${props.cluster.name}" server "${props.cluster.server}" must be the https:// API server URL registered in Argo CD`,
      );
    }
    if (!/^(https:\/\/|ssh:\/\/|git@)\S+$/.test(props.git.repoUrl)) {
      throw new Error(`${this.node.path}: git.repoUrl "${props.git.repoUrl}" must be an https://, ssh:// or git@ repository URL`);
    }
    if (!props.git.targetRevision?.trim()) throw new Error(`${this.node.path}: git.targetRevision must name a branch, tag or commit (e.g. "main")`);
    this.project = new ArgoProject(this, 'Project', {
      name: this.name,
      argocdNamespace: this.argocdNamespace,
      description: 'Self-hosted multi-agent AI platform (kagent, Ollama, ToolHive, OpenWebUI)',
      destinationServer: this.destinationServer,
    });
    this.project.allowSource(props.git.repoUrl);
    this.project.allowNamespace(this.argocdNamespace);
    const base = props.git.basePath.replace(/\/+$/, '');
    // In a fleet the hub's ApplicationSet is the root of every cluster's Applications folder.
    if (!props.cluster) this.rootApplication(props, base);
    const parent = props.folder.includes('/') ? props.folder.slice(0, props.folder.lastIndexOf('/') + 1) : '';
    new ExtraFile(this, 'HealthPatch', { path: `${parent}bootstrap/argocd-cm-application-health.yaml`, content: () => toYaml(APPLICATION_HEALTH_PATCH) });
  }

  private rootApplication(props: AppOfAppsProps, base: string): void {
    new argo.Application(this, 'Root', {
      metadata: { name: this.name, namespace: this.argocdNamespace },
      spec: {
        // The root must live in `default`: it creates the platform project itself.
        project: 'default',
        source: {
          repoUrl: props.git.repoUrl,
          targetRevision: props.git.targetRevision,
          path: `${base}/${props.folder}`,
          directory: { recurse: false, include: '*.yaml' },
        },
        destination: { server: IN_CLUSTER, namespace: this.argocdNamespace },
        syncPolicy: {
          automated: { enabled: true, prune: true, selfHeal: true, allowEmpty: false },
          retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
        },
      },
    });
  }

  /** Adds a child Application that syncs a chart's `dist/` folder. */
  public addChart(chart: PlatformChart, options: AddChartOptions): ArgoApplication {
    this.project.allowNamespacesOf(chart);
    return new ArgoApplication(this, `App-${chart.folder}`, {
      name: `${this.appPrefix}${chart.folder.split('/').pop()}`,
      destinationServer: this.destinationServer,
      argocdNamespace: this.argocdNamespace,
      project: this.project,
      namespace: chart.namespace ?? this.argocdNamespace,
      wave: options.wave,
      directory: { git: this.git, folder: chart.folder },
      customResources: options.customResources,
      cascadeDelete: options.cascadeDelete ?? options.wave !== SyncWave.NAMESPACES,
    });
  }

  /** Adds one child Application per Helm release an installer describes, in the installer's order. */
  public addHelmReleases(releases: readonly HelmRelease[]): ArgoApplication[] {
    return releases.map((release) => this.addHelmChart(release));
  }

  /** Adds a child Application that installs an OCI Helm chart. */
  public addHelmChart(release: HelmRelease): ArgoApplication {
    const { name, namespace, wave, serverSideApply, ...helm } = release;
    return new ArgoApplication(this, `App-${name}`, {
      name: `${this.appPrefix}${name}`,
      destinationServer: this.destinationServer,
      argocdNamespace: this.argocdNamespace,
      project: this.project,
      namespace,
      wave,
      serverSideApply,
      helm,
    });
  }

  /** Every child Application. */
  public get applications(): ArgoApplication[] {
    return this.node.findAll().filter(ArgoApplication.isArgoApplication);
  }
}

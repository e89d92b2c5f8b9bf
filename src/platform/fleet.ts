import { dirname, resolve } from 'node:path';
import { App } from 'cdk8s';
import { Construct } from 'constructs';
import { parsePlatformConfig, type PlatformConfig, type PlatformConfigInput } from './config/platform-config';
import { ApplicationSet } from '../gitops/application-set';
import { PlatformChart } from '../core/platform-chart';
import { checkTree, publish } from '../synth/publish';
import { defaultDistDir } from '../synth/synth-session';
import { reportingFailure } from '../synth/synthesize';
import { orderedTree, renderTree, type RenderedFile } from '../synth/render-tree';
import { assertDnsLabel, compareNames } from '../core/names';
import { ManifestValidator } from '../validation/manifest-validator';
import type { KubeObject } from '../core/kube-object';
import { AgentPlatform, type AgentPlatformOptions } from './agent-platform';
import { AgentTeam, type AgentTeamProps } from './agent-team';

/** Versions one cluster runs instead of the base config's, e.g. to canary a kagent release. */
export interface FleetVersions {
  /**
   * kagent chart version.
   * @default - the base config's
   */
  readonly kagent?: string;
  /**
   * ToolHive chart version.
   * @default - the base config's
   */
  readonly toolhive?: string;
  /**
   * Images, merged key by key over the base config's.
   * @default - the base config's
   */
  readonly images?: Readonly<Record<string, string>>;
}

/** One cluster of the fleet and what it does differently from the base config. */
export interface FleetClusterProps {
  /** Cluster name (DNS-1123 label): its folder `clusters/<name>/` and the prefix of its Applications. */
  readonly name: string;
  /** API server URL as registered in Argo CD (`argocd cluster add`), e.g. `https://10.0.0.10:6443`. */
  readonly server: string;
  /**
   * StorageClass of every PersistentVolumeClaim.
   * @default - the base config's
   */
  readonly storageClassName?: string;
  /**
   * GPUs for Ollama (needs `ollama` in the base config).
   * @default - the base config's
   */
  readonly gpuCount?: number;
  /**
   * Names of the fleet's teams that run here.
   * @default - every team
   */
  readonly teams?: readonly string[];
  /**
   * Versions that differ from the base config's.
   * @default - the base config's
   */
  readonly versions?: FleetVersions;
  /**
   * Top-level config sections that replace the base config's as a whole (e.g. `kagent` with a Postgres
   * database for a kagent 0.9 canary).
   * @default - none
   */
  readonly overrides?: Partial<PlatformConfigInput>;
}

/** A team of the fleet, built on every cluster it runs on. */
export interface FleetTeam {
  /** Team name (DNS-1123 label). */
  readonly name: string;
  /**
   * The team's props besides its name.
   * @default {}
   */
  readonly props?: Omit<AgentTeamProps, 'name' | 'platform'>;
  /**
   * Adds the team's models, grants and agents on one cluster.
   * @default - nothing beyond `props`
   */
  readonly build?: (team: AgentTeam, platform: AgentPlatform) => void;
}

export interface FleetProps {
  /** The platform definition every cluster shares. */
  readonly base: PlatformConfigInput;
  /** The clusters, at least one. */
  readonly clusters: readonly FleetClusterProps[];
  /**
   * Teams; each cluster runs those its `teams` names.
   * @default []
   */
  readonly teams?: readonly FleetTeam[];
  /**
   * Folder of the hub's objects (the ApplicationSet).
   * @default 'hub'
   */
  readonly hubFolder?: string;
  /**
   * Options of every cluster's platform (`folderPrefix` and `cluster` are set by the fleet).
   * @default {}
   */
  readonly platformOptions?: Omit<AgentPlatformOptions, 'folderPrefix' | 'cluster'>;
}

/** One cluster as built: its own App, so checks, reports and schemas stay per cluster. */
export interface FleetMember {
  readonly name: string;
  readonly server: string;
  readonly app: App;
  readonly platform: AgentPlatform;
  readonly teams: readonly AgentTeam[];
}

/**
 * The same platform definition on several clusters managed from one Argo CD (the hub). Each cluster gets the
 * base config with its overrides, its own tree under `clusters/<name>/` (Applications named `<name>-<app>`,
 * deploying to its API server) and the teams it runs. On the hub, an ApplicationSet generates each cluster's
 * root Application from a list with one element per cluster.
 *
 * Every cluster is built in an App of its own: agent names, duplicate objects, the kagent schema version,
 * TOPOLOGY.md and SECURITY.md are per cluster, and two clusters may run the same team with the same names.
 */
export class Fleet extends Construct {
  public readonly members: readonly FleetMember[];
  public readonly hub: PlatformChart;
  public readonly applicationSet: ApplicationSet;
  /** The base config, validated, defaults applied. */
  public readonly baseConfig: PlatformConfig;

  constructor(scope: Construct, id: string, props: FleetProps) {
    super(scope, id);
    this.baseConfig = parsePlatformConfig(props.base, `${this.node.path}: base`);
    if (props.clusters.length === 0) throw new Error(`${this.node.path}: clusters is empty; list at least one cluster`);
    const teams = props.teams ?? [];
    assertUnique(
      this,
      'team',
      teams.map((t) => t.name),
    );
    assertUnique(
      this,
      'cluster',
      props.clusters.map((c) => c.name),
    );
    this.members = props.clusters.map((cluster) => inCluster(cluster, () => this.buildMember(props, cluster, teams)));
    const git = this.baseConfig.gitops;
    const base = git.basePath.replace(/\/+$/, '');
    this.hub = new PlatformChart(this, 'hub', { folder: props.hubFolder ?? 'hub', namespace: git.argocdNamespace });
    this.applicationSet = new ApplicationSet(this.hub, 'clusters', {
      name: git.name,
      git,
      argocdNamespace: git.argocdNamespace,
      applicationSuffix: git.name,
      elements: this.members.map((m) => ({ name: m.name, server: m.server, path: `${base}/${m.platform.charts.argocd.folder}` })),
    });
  }

  /** A cluster of the fleet by name. */
  public member(name: string): FleetMember {
    const member = this.members.find((m) => m.name === name);
    if (!member) throw new Error(`${this.node.path}: no cluster "${name}"; clusters: ${this.members.map((m) => m.name).join(', ')}`);
    return member;
  }

  /** Renders the hub's charts and every cluster's tree; a cluster's error names the cluster. */
  public render(): RenderedFile[] {
    const files = [...renderTree(this.node.root as App)];
    for (const member of this.members) files.push(...inCluster(member, () => renderTree(member.app)));
    return orderedTree(files, this.node.path);
  }

  /**
   * Checks a rendered fleet: each cluster's tree and the hub's with `checkTree` (schemas of the kagent version
   * that cluster installs, Pod Security, duplicates), Argo CD objects that two clusters would both put on the
   * hub, and every ApplicationSet path against the folders of the tree.
   */
  public check(files: readonly RenderedFile[]): string[] {
    const groups = new Map<string, RenderedFile[]>();
    for (const file of files) {
      const member = this.members.find((m) => file.path.startsWith(`${clusterFolder(m.name)}/`));
      const key = member?.name ?? '';
      const group = groups.get(key) ?? groups.set(key, []).get(key)!;
      group.push(file);
    }
    const problems: string[] = [];
    // One memoizing validator per kagent version: clusters that run the same teams share most objects.
    const validators = new Map<string, ManifestValidator>();
    const validatorFor = (version: string) =>
      validators.get(version) ?? validators.set(version, memoizing(ManifestValidator.shared({ kagentVersion: version }))).get(version)!;
    for (const [name, group] of [...groups].sort(([a], [b]) => compareNames(a, b))) {
      const version = name ? this.member(name).platform.kagent.version : undefined;
      problems.push(...checkTree(group, version ? validatorFor(version) : undefined).map((p) => (name ? `cluster "${name}": ${p}` : p)));
    }
    problems.push(...hubCollisions(files), ...this.pathProblems(files));
    return problems;
  }

  /** ApplicationSet elements whose path is not a folder of the tree. */
  private pathProblems(files: readonly RenderedFile[]): string[] {
    const base = `${this.baseConfig.gitops.basePath.replace(/\/+$/, '')}/`;
    const folders = new Set(files.map((f) => dirname(f.path)));
    return this.applicationSet.elements
      .filter((e) => !e.path.startsWith(base) || !folders.has(e.path.slice(base.length)))
      .map((e) => `cluster "${e.name}": the ApplicationSet ${this.applicationSet.name} syncs ${e.path}, which is not a folder of the tree under ${base}`);
  }

  private buildMember(props: FleetProps, cluster: FleetClusterProps, teams: readonly FleetTeam[]): FleetMember {
    assertDnsLabel(this, `clusters "${cluster.name}" name`, cluster.name);
    const app = new App();
    const platform = new AgentPlatform(app, cluster.name, clusterConfig(props.base, cluster), {
      ...props.platformOptions,
      folderPrefix: clusterFolder(cluster.name),
      cluster: { name: cluster.name, server: cluster.server },
    });
    const known = teams.map((t) => t.name);
    const unknown = (cluster.teams ?? []).filter((name) => !known.includes(name));
    if (unknown.length > 0)
      throw new Error(`teams ${unknown.map((n) => `"${n}"`).join(', ')} are not teams of the fleet; known: ${known.join(', ') || 'none'}`);
    const running = teams.filter((t) => cluster.teams?.includes(t.name) ?? true);
    const built = running.map((t) => {
      const team = new AgentTeam(platform, `team-${t.name}`, { ...t.props, name: t.name });
      t.build?.(team, platform);
      return team;
    });
    return { name: cluster.name, server: cluster.server, app, platform, teams: built };
  }
}

/** The folder of a cluster's tree. */
export function clusterFolder(name: string): string {
  return `clusters/${name}`;
}

/** The base config with one cluster's overrides merged in. */
export function clusterConfig(base: PlatformConfigInput, cluster: FleetClusterProps): PlatformConfigInput {
  const config: { -readonly [K in keyof PlatformConfigInput]: PlatformConfigInput[K] } = { ...base, ...cluster.overrides };
  if (cluster.storageClassName !== undefined) config.storageClassName = cluster.storageClassName;
  if (cluster.gpuCount !== undefined) {
    if (!config.ollama) throw new Error(`gpuCount ${cluster.gpuCount} needs Ollama, but the config has no ollama section`);
    config.ollama = { ...config.ollama, gpuCount: cluster.gpuCount };
  }
  if (cluster.versions) {
    const { images, ...charts } = cluster.versions;
    config.versions = { ...config.versions, ...charts, images: { ...config.versions?.images, ...images } } as PlatformConfigInput['versions'];
  }
  return config;
}

export interface SynthesizeFleetOptions {
  /**
   * Where the tree is published.
   * @default - `dist/` in the working directory
   */
  readonly distDir?: string;
}

/** Renders and checks the fleet, then publishes it like any app (one rename; on any problem `distDir` is left untouched). */
export function synthesizeFleet(fleet: Fleet, options: SynthesizeFleetOptions = {}): RenderedFile[] {
  const files = fleet.render();
  publish(files, { distDir: resolve(options.distDir ?? defaultDistDir()), stagingDir: process.env.CDK8S_OUTDIR, check: (rendered) => fleet.check(rendered) });
  return files;
}

/** A validator that checks each distinct object once; its problems still name the file of every occurrence. */
function memoizing(validator: ManifestValidator): ManifestValidator {
  const placeholder = '\u0000file\u0000';
  const results = new Map<string, string[]>();
  const memo = Object.create(validator) as ManifestValidator;
  memo.validate = (object: KubeObject, file: string) => {
    const key = JSON.stringify(object);
    let problems = results.get(key);
    if (!problems) results.set(key, (problems = validator.validate(object, placeholder)));
    return problems.map((p) => p.split(placeholder).join(file));
  };
  return memo;
}

/** Runs `work` for one cluster, prefixing any error with the cluster's name and server. */
function inCluster<T>(cluster: { readonly name: string; readonly server: string }, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const wrapped = new Error(`fleet cluster "${cluster.name}" (${cluster.server}): ${message}`);
    if (error instanceof Error) wrapped.stack = `${wrapped.message}\n${error.stack?.split('\n').slice(1).join('\n') ?? ''}`;
    throw wrapped;
  }
}

function assertUnique(scope: Construct, what: string, names: readonly string[]): void {
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (twice.length > 0) throw new Error(`${scope.node.path}: ${what} "${twice[0]}" is listed twice; names must be unique`);
}

/** Argo CD objects two clusters would both create in the hub's namespace. */
function hubCollisions(files: readonly RenderedFile[]): string[] {
  const owners = new Map<string, string>();
  const problems: string[] = [];
  for (const file of files) {
    for (const object of file.objects) {
      if (!String(object.apiVersion).startsWith('argoproj.io/')) continue;
      const id = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
      const owner = owners.get(id);
      if (owner) problems.push(`dist/${file.path}: ${id} is also defined in dist/${owner}; both land in the hub's Argo CD, so rename one`);
      else owners.set(id, file.path);
    }
  }
  return problems;
}

/** Entry point for `cdk8s synth` of a fleet: any error goes to stderr with exit code 1, and `distDir` stays as it was. */
export function runFleetSynth(build: () => Fleet, options: SynthesizeFleetOptions = {}): void {
  reportingFailure(options.distDir, () => synthesizeFleet(build(), options));
}

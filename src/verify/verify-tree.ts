import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VERSIONS } from '../core/versions';
import { syncApplications, type ObjectVerdict, type SyncedApplication } from './argo-sync';
import { ControlPlane } from './control-plane';
import { schemaCrds } from './schema-crds';
import { ensureToolchain } from './toolchain';
import { readPublishedTree } from '../synth/published-tree';
import { treeApplications, type TreeFile } from './tree-applications';

export interface VerifyOptions {
  /** The synthesized tree to check. */
  readonly distDir: string;
  /** Progress lines (one per step, with its time). */
  readonly log?: (line: string) => void;
}

export interface VerifyReport {
  readonly kubernetesVersion: string;
  /** The real API server's verdict on each object; `source` is the object's dist file. */
  readonly verdicts: readonly ObjectVerdict[];
  /** Helm charts the tree's Applications install, which verify does not render (it has no chart sources). */
  readonly unrenderedCharts: readonly string[];
}

const CLUSTER_SETUP = new Set(['Namespace', 'CustomResourceDefinition']);

/**
 * Asks a real kube-apiserver (the pinned version, with Talos' admission settings, on loopback, started for this
 * call and stopped after it) about every object of a tree: Namespaces and the pinned CRDs are created, every
 * other object is applied as a server-side dry run in Argo CD's order. Builds the toolchain on first use; throws
 * `ToolchainUnavailableError` when Go is missing.
 */
export async function verifyTree(options: VerifyOptions): Promise<VerifyReport> {
  const verifier = await TreeVerifier.start(options.log);
  try {
    const { files, problems } = readPublishedTree(options.distDir);
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return await verifier.verify(files);
  } finally {
    await verifier.stop();
  }
}

/** One control plane that verifies several trees in turn (each installs its own kagent version's CRDs). */
export class TreeVerifier {
  public static async start(log: (line: string) => void = () => undefined): Promise<TreeVerifier> {
    const toolchain = ensureToolchain({ log });
    const workDir = mkdtempSync(join(tmpdir(), 'agent-platform-verify-'));
    const started = Date.now();
    try {
      const plane = await ControlPlane.start({ toolchain, workDir, log });
      log(`kube-apiserver ${toolchain.kubernetesVersion} on ${plane.server} in ${Date.now() - started} ms`);
      return new TreeVerifier(plane, workDir, toolchain.kubernetesVersion);
    } catch (error) {
      rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  private constructor(
    public readonly plane: ControlPlane,
    private readonly workDir: string,
    private readonly kubernetesVersion: string,
  ) {}

  public async verify(files: readonly TreeFile[]): Promise<VerifyReport> {
    const unrenderedCharts: string[] = [];
    const applications = await treeAsApplications(files, unrenderedCharts);
    const setup: SyncedApplication = {
      name: 'cluster prerequisites',
      wave: 0,
      objects: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } }, ...schemaCrds(kagentVersionOf(files))].map((object) => ({
        object,
        source: 'agent-platform-cdk8s/schemas',
      })),
    };
    await syncApplications(this.plane.client, [setup]);
    const verdicts = await syncApplications(this.plane.client, applications, { dryRun: (object) => !CLUSTER_SETUP.has(String(object.kind)) });
    return { kubernetesVersion: this.kubernetesVersion, unrenderedCharts, verdicts };
  }

  public async stop(): Promise<void> {
    await this.plane.stop();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** A tree with Argo CD Applications is synced by them; one without (a plain library app) as a single folder set. */
async function treeAsApplications(files: readonly TreeFile[], unrenderedCharts: string[]): Promise<SyncedApplication[]> {
  if (!files.some((f) => f.objects.some((o) => o.kind === 'Application'))) {
    return [{ name: 'dist', wave: 0, objects: files.flatMap((f) => f.objects.map((object) => ({ object, source: `dist/${f.path}` }))) }];
  }
  return treeApplications(files, {
    render: async (source) => {
      unrenderedCharts.push(`${source.application}: ${source.chart}@${source.version}`);
      return [];
    },
  });
}

/** The kagent version the tree installs (its kagent-crds Application), else the library's default. */
function kagentVersionOf(files: readonly TreeFile[]): string {
  for (const object of files.flatMap((f) => f.objects)) {
    const source = (object as { spec?: { source?: { repoURL?: string; targetRevision?: string } } }).spec?.source;
    if (object.kind === 'Application' && source?.repoURL?.endsWith('/kagent-crds')) return String(source.targetRevision);
  }
  return VERSIONS.kagent;
}

import type { RenderedFile } from '../synth/render-tree';
import { helmSourcesOf, type HelmRenderer } from './argo-helm';
import type { SyncedApplication } from './argo-sync';
import type { KubeObject } from './kube-client';

/** A file of a synthesized tree: its path below the tree's root, and its objects. */
export interface TreeFile {
  readonly path: string;
  readonly objects: readonly KubeObject[];
}

/** Folders Argo CD never syncs: the bootstrap patches are applied by hand with `kubectl patch`. */
const NOT_SYNCED = new Set(['bootstrap']);

/**
 * The Argo CD Applications of a tree with the objects each one syncs: the root Application (the folder that holds
 * the Applications) first, then every Application of that folder with its directory's manifests or its rendered
 * Helm charts. Fails when a manifest belongs to no Application (Argo CD would never apply it) or an Application
 * names a folder the tree lacks.
 */
export async function treeApplications(
  files: readonly TreeFile[],
  helm: Pick<HelmRenderer, 'render'>,
  options: { readonly handApplied?: readonly string[] } = {},
): Promise<SyncedApplication[]> {
  const manifests = files.filter((f) => f.path.endsWith('.yaml') && !NOT_SYNCED.has(f.path.split('/')[0]));
  const handApplied = manifests.filter((f) => options.handApplied?.includes(f.path.split('/')[0]));
  const applications = manifests.flatMap((f) => f.objects.filter((o) => o.kind === 'Application').map((object) => ({ object, file: f.path })));
  const helmSources = helmSourcesOf(manifests as unknown as RenderedFile[]);
  const claimed = new Set<string>(handApplied.map((f) => f.path));
  const synced: SyncedApplication[] =
    handApplied.length === 0
      ? []
      : [
          {
            name: 'applied by hand',
            wave: Number.MIN_SAFE_INTEGER,
            objects: handApplied.flatMap((f) => f.objects.map((object) => ({ object, source: `dist/${f.path}` }))),
          },
        ];
  for (const { object } of applications) {
    const objects: Array<{ object: KubeObject; source: string }> = [];
    for (const helmSource of helmSources.filter((h) => h.application === object.metadata?.name)) {
      for (const rendered of await helm.render(helmSource)) objects.push({ object: rendered, source: `helm:${helmSource.chart}@${helmSource.version}` });
    }
    for (const source of applicationSources(object)) {
      if (isHelmSource(source)) continue;
      const folder = folderOf(String(source.path), manifests);
      if (folder === undefined) throw new Error(`Application ${object.metadata?.name} syncs path ${source.path}, which is no folder of the tree`);
      for (const file of manifests.filter((f) => dirOf(f.path) === folder)) {
        claimed.add(file.path);
        for (const manifest of file.objects) objects.push({ object: manifest, source: `dist/${file.path}` });
      }
    }
    synced.push({ name: String(object.metadata?.name), wave: waveOf(object), objects });
  }
  const orphans = manifests.filter((f) => !claimed.has(f.path)).map((f) => f.path);
  if (orphans.length > 0) throw new Error(`no Application syncs ${orphans.join(', ')}`);
  return withRootFirst(synced, manifests);
}

/** The root Application syncs the folder that holds the Applications; it is applied by hand, before every wave. */
function withRootFirst(applications: SyncedApplication[], manifests: readonly TreeFile[]): SyncedApplication[] {
  const appFolders = new Set(manifests.filter((f) => f.objects.some((o) => o.kind === 'Application')).map((f) => dirOf(f.path)));
  return applications.map((app) =>
    app.objects.length > 0 && app.objects.every((o) => appFolders.has(dirOf(o.source.replace(/^dist\//, ''))))
      ? { ...app, wave: Number.MIN_SAFE_INTEGER + 1 }
      : app,
  );
}

function applicationSources(application: KubeObject): Array<Record<string, any>> {
  const spec = (application as { spec?: { source?: Record<string, any>; sources?: Array<Record<string, any>> } }).spec;
  return spec?.sources ?? (spec?.source ? [spec.source] : []);
}

function isHelmSource(source: Record<string, any>): boolean {
  return Boolean(source.chart) || String(source.repoURL ?? '').startsWith('oci://') || source.helm !== undefined;
}

/** The tree folder an Application path names: the path itself, or its tail below the repository's base path. */
function folderOf(path: string, manifests: readonly TreeFile[]): string | undefined {
  const folders = [...new Set(manifests.map((f) => dirOf(f.path)))];
  const clean = path.replace(/^\.?\/+|\/+$/g, '');
  return folders.filter((folder) => clean === folder || clean.endsWith(`/${folder}`)).sort((a, b) => b.length - a.length)[0];
}

function dirOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

function waveOf(object: KubeObject): number {
  return Number(((object.metadata?.annotations ?? {}) as Record<string, string>)['argocd.argoproj.io/sync-wave'] ?? 0);
}

/**
 * The trees the end-to-end tier checks on the real components: the reference homelab as committed in dist/, the
 * same platform on the seed's kagent 0.7.23, and each cluster of the fleet example. Each tree is what one
 * cluster's Argo CD would sync.
 */
import { buildFleet } from '../../examples/fleet/main';
import type { RenderedFile } from '../../src/synth/render-tree';
import { REFERENCE_CONFIG, renderReference } from '../../test/support/platform';

export interface ClusterTree {
  /** A short name for reports: `homelab`, `homelab-kagent-0.7.23`, `fleet-lab`, … */
  readonly name: string;
  /** Files relative to the cluster's own root (its Applications' `path`s are relative to the repository). */
  readonly files: readonly RenderedFile[];
  /** Folders applied by hand (`kubectl apply -f`), before any Application: the hub's ApplicationSet. */
  readonly handApplied?: readonly string[];
}

const BUNDLE = 'console.log("bridge")';

export function clusterTrees(): ClusterTree[] {
  const fleetFiles = buildFleet({ bridgeBundle: BUNDLE }).fleet.render();
  const clusters = [...new Set(fleetFiles.map((f) => /^clusters\/([^/]+)\//.exec(f.path)?.[1]).filter((c): c is string => !!c))].sort();
  return [
    { name: 'homelab', files: renderReference() },
    { name: 'homelab-kagent-0.7.23', files: renderReference({ ...REFERENCE_CONFIG, versions: { ...REFERENCE_CONFIG.versions, kagent: '0.7.23' } }) },
    ...clusters.map((cluster) => ({
      name: `fleet-${cluster}`,
      files: [
        ...fleetFiles.filter((f) => f.path.startsWith(`clusters/${cluster}/`)).map((f) => ({ ...f, path: f.path.slice(`clusters/${cluster}/`.length) })),
        generatedRoot(fleetFiles, cluster),
      ],
    })),
    { name: 'fleet-hub', files: fleetFiles.filter((f) => f.path.startsWith('hub/')), handApplied: ['hub'] },
  ];
}

/**
 * The root Application the hub's ApplicationSet generates for one cluster: its template with the cluster's list
 * element substituted, as Argo CD's go-template rendering does for `{{.key}}`. It syncs the cluster's argocd/ folder.
 */
function generatedRoot(fleetFiles: readonly RenderedFile[], cluster: string): RenderedFile {
  const applicationSet = fleetFiles.flatMap((f) => f.objects).find((o) => o.kind === 'ApplicationSet') as any;
  const element = applicationSet.spec.generators[0].list.elements.find((e: { name: string }) => e.name === cluster);
  const text = JSON.stringify(applicationSet.spec.template).replace(/\{\{\.(\w+)\}\}/g, (_, key: string) => {
    if (!(key in element)) throw new Error(`ApplicationSet template names {{.${key}}}, which the list element of ${cluster} lacks`);
    return String(element[key]);
  });
  const template = JSON.parse(text);
  const root = {
    apiVersion: applicationSet.apiVersion,
    kind: 'Application',
    ...template,
    metadata: { ...template.metadata, namespace: applicationSet.metadata.namespace },
  };
  return { path: `argocd/application-${root.metadata.name}.yaml`, objects: [root] } as unknown as RenderedFile;
}

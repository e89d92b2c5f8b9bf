import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERSIONS } from '../../src/core/versions';
import { REFERENCE_CONFIG } from '../support/platform';
import { SyncWave } from '../../src/core/sync-wave';
import { DIST, REPO_ROOT, find, objectsOf, renderReference } from '../support/platform';

const files = renderReference();
const apps = objectsOf(files).filter((o) => o.kind === 'Application') as any[];
const children = apps.filter((a) => a.metadata.name !== 'agent-platform');
const wave = (name: string) => Number(apps.find((a) => a.metadata.name === name).metadata.annotations['argocd.argoproj.io/sync-wave']);

describe('app-of-apps', () => {
  it('has a root application over dist/argocd that can be bootstrapped with kubectl apply', () => {
    const root = find(files, 'Application', 'agent-platform', 'argocd');
    expect(root.spec.source).toEqual({
      repoURL: 'https://github.com/homelab/agent-platform.git',
      targetRevision: 'main',
      path: 'dist/argocd',
      directory: { recurse: false, include: '*.yaml' },
    });
    expect(root.spec.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });
    expect(files.some((f) => f.path === 'argocd/application-agent-platform.yaml')).toBe(true);
  });

  it('has one child per dist/ folder and per Helm chart', () => {
    expect(children.map((a) => a.metadata.name).sort()).toEqual([
      'agents',
      'kagent',
      'kagent-crds',
      'namespaces',
      'ollama',
      'openwebui',
      'searxng',
      'toolhive',
      'toolhive-operator',
      'toolhive-operator-crds',
    ]);
  });

  it('gives every child the platform sync policy', () => {
    for (const app of children) {
      expect(app.spec.project, app.metadata.name).toBe('agent-platform');
      // Deleting an Application must not delete namespaces (with their volumes) or CRDs (with every resource).
      const keep = app.metadata.name === 'namespaces' || app.metadata.name.endsWith('-crds');
      expect(app.metadata.finalizers, app.metadata.name).toEqual(keep ? undefined : ['resources-finalizer.argocd.argoproj.io']);
      expect(app.spec.syncPolicy.automated).toEqual({ enabled: true, prune: true, selfHeal: true, allowEmpty: false });
      expect(app.spec.syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } });
      expect(app.spec.syncPolicy.syncOptions).not.toContain('CreateNamespace=true');
    }
    for (const name of ['kagent-crds', 'toolhive-operator-crds'])
      expect(find(files, 'Application', name).spec.syncPolicy.syncOptions).toContain('ServerSideApply=true');
    for (const name of ['agents', 'toolhive'])
      expect(find(files, 'Application', name).spec.syncPolicy.syncOptions).toContain('SkipDryRunOnMissingResource=true');
  });

  it('orders waves: namespaces → CRDs → operators → workloads → custom resources', () => {
    expect(wave('namespaces')).toBe(SyncWave.NAMESPACES);
    for (const crds of ['kagent-crds', 'toolhive-operator-crds']) expect(wave(crds)).toBeGreaterThan(wave('namespaces'));
    for (const op of ['kagent', 'toolhive-operator']) expect(wave(op)).toBeGreaterThan(wave('kagent-crds'));
    for (const workload of ['ollama', 'searxng', 'openwebui']) expect(wave(workload)).toBeGreaterThan(wave('kagent'));
    for (const crs of ['agents', 'toolhive']) expect(wave(crs)).toBeGreaterThan(wave('ollama'));
    const project = find(files, 'AppProject', 'agent-platform');
    expect(Number(project.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(wave('namespaces'));
  });

  it('pins every chart to an exact version in the native OCI form, both kagent charts to one version', () => {
    const helm = children.filter((a) => a.spec.source.helm);
    expect(helm).toHaveLength(4);
    for (const app of helm) {
      expect(app.spec.source.targetRevision).toMatch(/^\d+\.\d+\.\d+$/);
      expect(app.spec.source.repoURL).toMatch(/^oci:\/\/ghcr\.io\//);
      expect(app.spec.source.path).toBe('.');
    }
    expect(find(files, 'Application', 'kagent').spec.source.targetRevision).toBe(VERSIONS.kagent);
    expect(find(files, 'Application', 'kagent-crds').spec.source.targetRevision).toBe(VERSIONS.kagent);
    expect(find(files, 'Application', 'toolhive-operator').spec.source.targetRevision).toBe(VERSIONS.toolhive);
  });

  it('moves both kagent charts together when the version changes', () => {
    const bumped = renderReference({ ...REFERENCE_CONFIG, versions: { ...REFERENCE_CONFIG.versions, kagent: '0.7.23' } });
    expect(find(bumped, 'Application', 'kagent').spec.source.targetRevision).toBe('0.7.23');
    expect(find(bumped, 'Application', 'kagent-crds').spec.source.targetRevision).toBe('0.7.23');
  });

  it('points every directory child at a folder that exists in dist/', () => {
    for (const app of children.filter((a) => a.spec.source.directory)) {
      const folder = app.spec.source.path.replace(/^dist\//, '');
      expect(existsSync(join(DIST, folder)), app.spec.source.path).toBe(true);
      expect(files.some((f) => f.path.startsWith(`${folder}/`) && f.objects.length > 0)).toBe(true);
    }
  });

  it('fences the project to the platform repos and namespaces', () => {
    const project = find(files, 'AppProject', 'agent-platform');
    expect(project.spec.sourceRepos).toEqual(
      [
        'https://github.com/homelab/agent-platform.git',
        'oci://ghcr.io/kagent-dev/kagent/helm/kagent',
        'oci://ghcr.io/kagent-dev/kagent/helm/kagent-crds',
        'oci://ghcr.io/stacklok/toolhive/toolhive-operator',
        'oci://ghcr.io/stacklok/toolhive/toolhive-operator-crds',
      ].sort(),
    );
    expect(project.spec.destinations.map((d: any) => d.namespace)).toEqual(['argocd', 'kagent', 'ollama-agents', 'open-webui', 'searxng', 'toolhive-system']);
  });

  it('generates the argocd-cm health patch for Applications', () => {
    const patch = files.find((f) => f.path === 'bootstrap/argocd-cm-application-health.yaml');
    expect(patch?.content).toContain('resource.customizations.health.argoproj.io_Application');
    expect(patch?.content).toContain('hs.status = obj.status.health.status');
  });
});

describe('bootstrap order', () => {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const secrets = files.find((f) => f.path === 'SECRETS.md')!.content;
  const waveOf = (app: any) => Number(app.metadata.annotations['argocd.argoproj.io/sync-wave']);

  it('applies the namespaces (the wave-0 folder) first, then the Secrets, then the root Application, in SECRETS.md and the README', () => {
    const namespacesApp = objectsOf(files).find((o: any) => o.kind === 'Application' && o.spec.source.path === 'dist/namespaces') as any;
    expect(waveOf(namespacesApp)).toBe(Math.min(...children.map(waveOf)));
    for (const doc of [secrets, readme]) {
      const namespaces = doc.indexOf('kubectl apply -f dist/namespaces/');
      const secretStep = doc.search(/Secrets (below|listed in dist\/SECRETS\.md)/);
      const root = doc.indexOf('kubectl apply -f dist/argocd/application-agent-platform.yaml');
      expect(namespaces).toBeGreaterThan(-1);
      expect(secretStep).toBeGreaterThan(namespaces);
      expect(root).toBeGreaterThan(secretStep);
    }
    expect(files.some((f) => f.path === 'argocd/application-agent-platform.yaml')).toBe(true);
  });
});

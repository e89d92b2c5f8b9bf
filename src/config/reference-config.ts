import type { PlatformConfigInput } from './platform-config';
import { VERSIONS } from './versions';

/**
 * The reference platform: the seed's homelab (Talos, Argo CD, kagent, Ollama cloud models, ToolHive, OpenWebUI).
 * Secrets are named here, never their values; `dist/SECRETS.md` lists the ones to create.
 */
export const REFERENCE_CONFIG: PlatformConfigInput = {
  gitops: { repoUrl: 'https://github.com/homelab/agent-platform.git', targetRevision: 'main', basePath: 'dist' },
  versions: { kagent: VERSIONS.kagent, toolhive: VERSIONS.toolhive, images: { ...VERSIONS.images } },
  namespaces: { kagent: 'kagent', ollama: 'ollama-agents', toolhive: 'toolhive-system', searxng: 'searxng', openWebUi: 'open-webui' },
  ollama: { numParallel: 4, maxLoadedModels: 3, keepAlive: '30m', storageSize: '100Gi', signinKeySecret: { name: 'ollama-signin', key: 'id_ed25519' } },
  kagent: { builtInAgents: [], streamingTimeout: '600s', database: { type: 'sqlite' } },
  azureDevOps: { organization: 'contoso', patSecret: { name: 'azure-devops-pat', key: 'pat' }, domains: ['core', 'work', 'work-items', 'search', 'wiki'] },
  grafana: { url: 'http://grafana.monitoring.svc.cluster.local:80', tokenSecret: { name: 'grafana-mcp-token', key: 'token' } },
  searxng: { secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } },
  openWebUi: { secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' }, storageSize: '10Gi' },
};

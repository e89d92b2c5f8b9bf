import type { PlatformConfigInput } from 'agent-platform-cdk8s';

/**
 * The reference homelab: the seed's Talos cluster with Cilium and Argo CD, kagent, Ollama cloud models,
 * ToolHive (Azure DevOps, SearXNG, Grafana) and Open WebUI. Secrets are named here, never their values;
 * `dist/SECRETS.md` lists the ones to create. Change it and run `npx cdk8s synth`.
 */
export const HOMELAB_CONFIG = {
  gitops: { repoUrl: 'https://github.com/homelab/agent-platform.git', targetRevision: 'main', basePath: 'dist' },
  namespaces: { kagent: 'kagent', ollama: 'ollama-agents', toolhive: 'toolhive-system', searxng: 'searxng', openWebUi: 'open-webui' },
  network: { cni: 'cilium' },
  promptDir: 'app/prompts',
  ollama: { numParallel: 4, maxLoadedModels: 3, keepAlive: '30m', storageSize: '100Gi', signinKeySecret: { name: 'ollama-signin', key: 'id_ed25519' } },
  models: {
    kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud', options: { num_ctx: '32768' } },
    glm: { provider: 'ollama', model: 'glm-5.1:cloud', options: { num_ctx: '32768' } },
    'kimi-thinking': { provider: 'ollama', model: 'kimi-k2-thinking:cloud', options: { num_ctx: '65536' } },
  },
  // Sessions in a Postgres the platform runs (credentials from the kagent-postgres Secret, see SECRETS.md).
  kagent: { builtInAgents: [], tools: true, database: { type: 'owned-postgres', storageSize: '5Gi' } },
  azureDevOps: { organization: 'contoso', patSecret: { name: 'azure-devops-pat', key: 'pat' }, domains: ['core', 'work', 'work-items', 'search', 'wiki'] },
  grafana: { url: 'http://grafana.monitoring.svc.cluster.local:80', tokenSecret: { name: 'grafana-mcp-token', key: 'token' } },
  searxng: { secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } },
  agents: [
    {
      name: 'azure-devops',
      model: 'kimi',
      prompt: 'azure-devops.md',
      tools: ['azure-devops'],
      description: 'Senior PO agent for Azure DevOps User Stories: creates, reads and searches work items following the working agreement',
    },
    {
      name: 'my-first-k8s-agent',
      model: 'kimi',
      prompt: 'kubernetes.md',
      tools: ['kagent-k8s-tools'],
      description: 'Kubernetes operations on the Talos cluster: inspects resources, events and logs',
    },
    {
      name: 'research',
      model: 'kimi',
      prompt: 'research.md',
      tools: ['searxng'],
      description: 'Web research through the private SearXNG instance, with cited sources',
    },
    {
      name: 'grafana',
      model: 'kimi',
      prompt: 'grafana.md',
      tools: ['grafana'],
      description: 'Observability: Grafana dashboards, Prometheus metrics, Loki logs and alerts (read-only)',
    },
    {
      name: 'jairix',
      model: 'kimi-thinking',
      delegates: ['azure-devops', 'my-first-k8s-agent', 'research', 'grafana'],
      description: 'Orchestrator: routes every request to the right specialist agent over A2A',
    },
  ],
  openWebUi: {
    secretKeySecret: { name: 'open-webui-secret', key: 'webui-secret-key' },
    storageSize: '10Gi',
    // Three routes to the agents (README "Chat"): the bridge, the Pipe, and kagent's /mcp as a tool server.
    bridge: true,
    pipe: {},
    kagentMcp: {},
    // Titles, tags and follow-ups on a small local model, never on an agent.
    taskModel: 'qwen3:0.6b',
  },
} satisfies PlatformConfigInput;

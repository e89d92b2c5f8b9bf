/**
 * Two teams on two clusters, managed from one Argo CD (the hub): `clusters/lab/…` and `clusters/edge/…`, and
 * `hub/` with the ApplicationSet that generates each cluster's root Application. `edge` runs only the research
 * team, on another StorageClass, and canaries kagent 0.9.12 while `lab` stays on 0.7.23.
 */
import { App } from 'cdk8s';
import { Fleet, inlinePrompt, runFleetSynth, type FleetTeam, type PlatformConfigInput } from 'agent-platform-cdk8s';

export const BASE: PlatformConfigInput = {
  gitops: { repoUrl: 'https://github.com/example/agent-fleet.git', targetRevision: 'main', basePath: 'dist' },
  ollama: { numParallel: 4 },
  models: { kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud', options: { num_ctx: '32768' } } },
  // Pinned below the library's default so one cluster can canary the next kagent; external Postgres works on both.
  versions: { kagent: '0.7.23' },
  kagent: { database: { type: 'postgres', urlSecret: { name: 'kagent-postgres', key: 'url' } } },
  searxng: { secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } },
  azureDevOps: { organization: 'contoso', patSecret: { name: 'azure-devops-pat', key: 'pat' } },
};

export const TEAMS: FleetTeam[] = [
  {
    name: 'research',
    props: { quota: { agentPods: 4, memoryLimitPerAgent: '1Gi' }, models: { qwen: { provider: 'ollama', model: 'qwen3:14b' } } },
    build: (team) => {
      const search = team.grantMcpServer('searxng');
      const scout = team.addAgent('scout', {
        name: 'scout',
        description: 'Searches the web and cites sources',
        modelConfig: team.model('qwen'),
        systemPrompt: inlinePrompt('You research questions on the web and cite every source.'),
        tools: [search],
      });
      const writer = team.addAgent('writer', {
        name: 'writer',
        description: 'Writes short reports from research notes',
        modelConfig: team.model('qwen'),
        systemPrompt: inlinePrompt('You turn research notes into a short report.'),
      });
      team.addOrchestrator('lead', {
        name: 'research-lead',
        description: 'Routes research requests',
        modelConfig: team.model('qwen'),
        delegates: [scout, writer],
      });
    },
  },
  {
    name: 'delivery',
    props: { namespace: 'team-delivery', models: { kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud' } } },
    build: (team) => {
      const ado = team.grantMcpServer('azure-devops');
      const po = team.addAgent('po', {
        name: 'po',
        description: 'Writes and refines Azure DevOps user stories',
        modelConfig: team.model('kimi'),
        systemPrompt: inlinePrompt('You are a senior product owner.'),
        tools: [{ server: ado, toolNames: ['wit_work_item', 'wit_query'] }],
      });
      team.addOrchestrator('lead', { name: 'delivery-lead', description: 'Routes delivery requests', modelConfig: team.model('kimi'), delegates: [po] });
    },
  },
];

/** The fleet as an App (the hub) with the Fleet construct; tests and `main` build it. */
export function buildFleet(options: { bridgeBundle?: string } = {}): { app: App; fleet: Fleet } {
  const app = new App();
  const fleet = new Fleet(app, 'fleet', {
    base: BASE,
    teams: TEAMS,
    platformOptions: { bridgeBundle: options.bridgeBundle },
    clusters: [
      { name: 'lab', server: 'https://10.0.0.10:6443', storageClassName: 'local-path' },
      {
        name: 'edge',
        server: 'https://10.0.1.10:6443',
        storageClassName: 'longhorn',
        teams: ['research'],
        versions: { kagent: '0.9.12' },
      },
    ],
  });
  return { app, fleet };
}

/** Publishes the fleet into `FLEET_DIST` (default `dist/`). */
export function main(): void {
  runFleetSynth(() => buildFleet().fleet, { distDir: process.env.FLEET_DIST });
}

if (require.main === module) main();

/**
 * A generated fleet for the scale benchmark: `FLEET_CLUSTERS` clusters (default 10), each running `FLEET_TEAMS`
 * teams (default 5) of `FLEET_AGENTS` agents (default 20: specialists granted the shared SearXNG, and one
 * orchestrator over them). Every cluster is the same base platform with its own server and StorageClass.
 * Published with the fleet pipeline (render, per-cluster checks, one rename) into `AGENT_PLATFORM_DIST`.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import type { Agent } from '../src/agents/agent';
import { inlinePrompt } from '../src/agents/system-prompt';
import type { PlatformConfigInput } from '../src/platform/config/platform-config';
import type { AgentTeam } from '../src/platform/agent-team';
import { Fleet, runFleetSynth, type FleetTeam } from '../src/platform/fleet';

const BASE: PlatformConfigInput = {
  gitops: { repoUrl: 'https://git.example/fleet.git', targetRevision: 'main' },
  ollama: { numParallel: 8 },
  models: { kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud' } },
  searxng: { secretKeySecret: { name: 'searxng-secret', key: 'secret-key' } },
};

/** One team: `agents - 1` specialists with SearXNG, and an orchestrator (kagent allows 20 tools, so ≤ 21 agents). */
function team(index: number, agents: number): FleetTeam {
  const specialists = Math.max(1, agents - 1);
  return {
    name: `team-${index}`,
    props: { quota: { agentPods: specialists + 1 }, models: { kimi: { provider: 'ollama', model: 'kimi-k2.6:cloud' } } },
    build: (t: AgentTeam) => {
      const search = t.grantMcpServer('searxng');
      const members: Agent[] = Array.from({ length: specialists }, (_, i) =>
        t.addAgent(`agent-${i}`, {
          name: `agent-${i}`,
          description: `Specialist ${i} of team ${index}`,
          modelConfig: t.model('kimi'),
          systemPrompt: inlinePrompt(`You are specialist ${i}. Search carefully and answer precisely.\n`.repeat(5)),
          tools: [search],
        }),
      );
      t.addOrchestrator('lead', { name: 'lead', description: `Routes team ${index}`, modelConfig: t.model('kimi'), delegates: members });
    },
  };
}

/** The fleet: `clusters` × `teams` × `agents`. */
export function buildFleet(clusters: number, teams: number, agents: number): Fleet {
  if (agents > 21) throw new Error(`FLEET_AGENTS ${agents}: an orchestrator takes at most 20 delegates, so at most 21 agents per team`);
  return new Fleet(new App(), 'fleet', {
    base: BASE,
    teams: Array.from({ length: teams }, (_, i) => team(i, agents)),
    clusters: Array.from({ length: clusters }, (_, i) => ({
      name: `cluster-${i}`,
      server: `https://10.0.${i}.10:6443`,
      storageClassName: i % 2 ? 'longhorn' : 'local-path',
    })),
  });
}

/** Entry for the benchmark's child processes: synthesize, then report peak memory on stderr. */
export function main(): void {
  const count = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
  runFleetSynth(() => buildFleet(count('FLEET_CLUSTERS', 10), count('FLEET_TEAMS', 5), count('FLEET_AGENTS', 20)), {
    distDir: process.env.AGENT_PLATFORM_DIST ?? join(tmpdir(), 'agent-platform-fleet-bench', 'dist'),
  });
  process.stderr.write(`maxRSS_KB=${process.resourceUsage().maxRSS}\n`);
}

if (require.main === module) main();

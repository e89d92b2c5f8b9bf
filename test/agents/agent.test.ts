import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../src/agents/agent';
import { Orchestrator, orchestratorPrompt } from '../../src/agents/orchestrator';
import { inlinePrompt, promptFile } from '../../src/agents/system-prompt';
import { renderTopology } from '../../src/reports/topology';
import { OllamaModelConfig } from '../../src/models/ollama-model-config';
import { swarm } from '../support/swarm';

const agentsOf = (chart: any) => Testing.synth(chart).filter((o: any) => o.kind === 'Agent');

describe('Agent', () => {
  it('composes in a few lines: model, MCP tools with an allow-list and approvals, skills', () => {
    const { chart, tools, agent } = swarm();
    agent('ops', {
      tools: [{ server: tools, toolNames: ['get', 'delete'], requireApproval: ['delete'] }],
      skills: [{ id: 'triage', name: 'Triage', tags: ['k8s'] }],
      stream: false,
    });
    const [ops] = agentsOf(chart);
    expect(ops.spec.type).toBe('Declarative');
    expect(ops.spec.declarative).toMatchObject({
      modelConfig: 'ollama-agents-kimi-k2-6-cloud',
      systemMessage: 'You are ops.',
      stream: false,
      tools: [
        {
          type: 'McpServer',
          mcpServer: { apiGroup: 'kagent.dev', kind: 'RemoteMCPServer', name: 'k8s', toolNames: ['get', 'delete'], requireApproval: ['delete'] },
        },
      ],
      a2aConfig: { skills: [{ id: 'triage', name: 'Triage', tags: ['k8s'], inputModes: ['text'], outputModes: ['text'] }] },
    });
  });

  it('references another agent as an A2A tool and runs restricted', () => {
    const { chart, agent } = swarm();
    const b = agent('b');
    agent('a', { tools: [b] });
    const a = agentsOf(chart).find((o: any) => o.metadata.name === 'a');
    expect(a.spec.declarative.tools).toEqual([{ type: 'Agent', agent: { apiGroup: 'kagent.dev', kind: 'Agent', name: 'b', namespace: 'kagent' } }]);
    expect(a.spec.declarative.deployment.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      runAsNonRoot: true,
    });
  });

  it('loads a long prompt from a file of the project (relative to the working directory)', () => {
    const { chart, agent } = swarm();
    agent('po', { systemPrompt: promptFile('app/prompts/azure-devops.md') });
    expect(agentsOf(chart)[0].spec.declarative.systemMessage).toContain('Senior Product Owner');
  });

  describe('synth-time checks', () => {
    it('rejects a name that is not a DNS-1123 label', () => {
      const { agent } = swarm();
      expect(() => agent('Azure_DevOps')).toThrow('agents/Azure_DevOps: name "Azure_DevOps" is not a valid Kubernetes name');
    });

    it('rejects two agents with one name in a namespace', () => {
      const { app, chart, agent, model } = swarm();
      agent('dup');
      new Agent(chart, 'dup-2', { name: 'dup', description: 'd', systemPrompt: inlinePrompt('x'), modelConfig: model });
      expect(() => app.synth()).toThrow('[agents/dup] agent name "dup" is used twice in namespace "kagent" (also agents/dup-2); rename one');
    });

    it('rejects more than 20 tools', () => {
      const { app, agent } = swarm();
      const helpers = Array.from({ length: 21 }, (_, i) => agent(`helper-${i}`));
      agent('big', { tools: helpers });
      expect(() => app.synth()).toThrow('[agents/big] agent "big" has 21 tools, but kagent allows at most 20; split it or delegate to sub-agents');
    });

    it('rejects more than 50 tool names', () => {
      const { tools, agent } = swarm();
      const toolNames = Array.from({ length: 51 }, (_, i) => `t${i}`);
      expect(() => agent('wide', { tools: [{ server: tools, toolNames }] })).toThrow(
        'agents/wide: 51 toolNames for k8s, but kagent allows at most 50; split the agent',
      );
    });

    it('rejects requireApproval outside toolNames', () => {
      const { tools, agent } = swarm();
      expect(() => agent('x', { tools: [{ server: tools, toolNames: ['get'], requireApproval: ['delete'] }] })).toThrow(
        'agents/x: requireApproval names "delete" that are not in toolNames of k8s; add them to toolNames or remove them from requireApproval',
      );
    });

    it('rejects a tool name the MCP server does not offer', () => {
      const { app, tools, agent } = swarm();
      agent('x', { tools: [{ server: tools, toolNames: ['get', 'exec'] }] });
      expect(() => app.synth()).toThrow('[agents/x] toolNames "exec" are not offered by MCP server "k8s" (it allows get, list, delete)');
    });

    it('rejects an agent delegating to itself', () => {
      const { agent } = swarm();
      const a = agent('a');
      expect(() => a.addTool(a)).toThrow('agents/a: agent "a" cannot delegate to itself; kagent rejects self-references');
    });

    it('prints a delegation cycle', () => {
      const { app, agent } = swarm();
      const c = agent('c');
      const b = agent('b', { tools: [c] });
      const a = agent('a', { tools: [b] });
      c.addTool(a);
      expect(() => app.synth()).toThrow('[agents/a] delegation cycle a → b → c → a; A2A calls would loop forever, so remove one of these delegations');
    });

    it('finds a cycle through a delegation chain deeper than the call stack, and reports it once', () => {
      const { app, agent } = swarm();
      const chain = Array.from({ length: 12_000 }, (_, i) => agent(`a${String(i).padStart(5, '0')}`));
      for (let i = 0; i + 1 < chain.length; i++) chain[i].addTool(chain[i + 1]);
      chain[chain.length - 1].addTool(chain[0]);
      const failure = (() => {
        try {
          app.synth();
        } catch (error) {
          return String(error);
        }
        return '';
      })();
      expect(failure.match(/delegation cycle/g), failure.slice(0, 300)).toHaveLength(1);
      expect(failure).toMatch(/\[agents\/a00000\] delegation cycle a00000 → a00001 → .* → a11999 → a00000;/);
    });

    it('tells apart agents in a cycle from agents that only call into one', () => {
      const { app, agent } = swarm();
      const c = agent('c');
      const b = agent('b', { tools: [c] });
      c.addTool(b);
      agent('a', { tools: [b] });
      expect(() => app.synth()).toThrow(/^Validation failed with the following errors:\n  \[agents\/b\] delegation cycle b → c → b; [^\n]*$/);
    });

    it('sees a cycle closed after an earlier synth', () => {
      const { app, agent } = swarm();
      const b = agent('b');
      const a = agent('a', { tools: [b] });
      app.synth();
      b.addTool(a);
      expect(() => app.synth()).toThrow('[agents/a] delegation cycle a → b → a;');
    });

    it('rejects references to constructs outside the app', () => {
      const { app, agent } = swarm();
      const other = swarm();
      agent('x', { tools: [other.tools, other.agent('stranger')] });
      expect(() => app.synth()).toThrow(/\[agents\/x\] MCP server "k8s" \(agents\/tools\) is not part of this app; create it in the same App/);
      expect(() => app.synth()).toThrow(/\[agents\/x\] delegate agent "stranger" \(agents\/stranger\) is not part of this app/);
    });

    it('rejects a model from another namespace', () => {
      const { app, chart, ollama, agent } = swarm();
      const foreign = new OllamaModelConfig(chart, 'elsewhere', { ollama, model: 'kimi-k2.6:cloud', name: 'kimi-team', namespace: 'team' });
      agent('x', { modelConfig: foreign });
      expect(() => app.synth()).toThrow('[agents/x] modelConfig "kimi-team" is in namespace "team" but the agent is in "kagent"');
    });

    it('rejects a cross-namespace delegation the target does not allow, and accepts one it does', () => {
      const { app, chart, ollama, agent } = swarm();
      const teamModel = new OllamaModelConfig(chart, 'team-model', { ollama, model: 'kimi-k2.6:cloud', name: 'kimi', namespace: 'team' });
      const closed = agent('closed', { namespace: 'team', modelConfig: teamModel });
      const open = agent('open', { namespace: 'team', modelConfig: teamModel, allowedNamespaces: { namespaces: ['kagent'] } });
      agent('caller', { tools: [closed, open] });
      const error = (() => {
        try {
          app.synth();
          return '';
        } catch (e) {
          return (e as Error).message;
        }
      })();
      expect(error).toContain(
        '[agents/caller] agent "caller" (namespace "kagent") delegates to "team/closed", which does not allow callers from "kagent"; set allowedNamespaces on c-closed/closed',
      );
      expect(error).not.toContain('team/open');
    });

    it('rejects a missing prompt file with its path', () => {
      const { agent } = swarm();
      expect(() => agent('x', { systemPrompt: promptFile('nope.md', { baseDir: '/srv/prompts' }) })).toThrow(
        'agents/x: prompt file /srv/prompts/nope.md does not exist; create it, or fix the name or the base folder (promptFile(file, { baseDir }))',
      );
      expect(() => agent('y', { systemPrompt: promptFile('prompt.json') })).toThrow('agents/y: prompt file "prompt.json" must be a .md or .txt file');
    });
  });
});

describe('Orchestrator', () => {
  it('delegates only to agents and generates its routing prompt from them', () => {
    const { chart, agent, model } = swarm();
    const po = agent('azure-devops', { description: 'Senior PO agent for Azure DevOps User Stories' });
    const k8s = agent('my-first-k8s-agent', { description: 'Kubernetes operations' });
    const boss = new Orchestrator(chart, 'jairix', {
      name: 'jairix',
      description: 'Routes requests',
      modelConfig: model,
      delegates: [po, k8s],
      extraInstructions: 'Answer in Dutch.',
    });
    const rendered = agentsOf(chart).find((o: any) => o.metadata.name === 'jairix');
    const prompt = rendered.spec.declarative.systemMessage;
    expect(prompt).toBe(orchestratorPrompt(boss, 'Answer in Dutch.'));
    expect(prompt).toContain('- **azure-devops**: Senior PO agent for Azure DevOps User Stories');
    expect(prompt).toContain('- **my-first-k8s-agent**: Kubernetes operations');
    expect(prompt).toContain('Do NOT ask the user for confirmation before delegating');
    expect(prompt).toContain("Return the specialist's response directly and completely");
    expect(prompt.trimEnd().endsWith('Answer in Dutch.')).toBe(true);
    expect(rendered.spec.declarative.tools.map((t: any) => t.type)).toEqual(['Agent', 'Agent']);
  });

  it('refuses MCP tools and empty delegate lists', () => {
    const { chart, agent, model, tools } = swarm();
    const boss = new Orchestrator(chart, 'boss', { name: 'boss', description: 'd', modelConfig: model, delegates: [agent('a')] });
    expect(() => boss.addTool(tools)).toThrow(
      "agents/boss: an orchestrator's tools must be agents (A2A delegation); give MCP servers to a specialist agent instead",
    );
    expect(() => boss.addTool({ server: tools })).toThrow("agents/boss: an orchestrator's tools must be agents (A2A delegation)");
    expect(() => new Orchestrator(chart, 'empty', { name: 'empty', description: 'd', modelConfig: model, delegates: [] })).toThrow(
      'agents/empty: an orchestrator needs at least one delegate agent',
    );
  });

  it('says a delegate must be the Agent, not its name, when given a name', () => {
    const { chart, model } = swarm();
    expect(() => new Orchestrator(chart, 'lead', { name: 'lead', description: 'd', modelConfig: model, delegates: ['research' as never] })).toThrow(
      'agents/lead: delegates must be Agent constructs, got the string "research"; pass the Agent itself (what new Agent(...) or platform.agent(name) returns), not its name',
    );
  });
});

describe('validation messages', () => {
  it('name the construct path once, in front', () => {
    const { app, agent } = swarm();
    agent('big', { tools: Array.from({ length: 21 }, (_, i) => agent(`helper-${i}`)) });
    expect(() => app.synth()).toThrow(/^Validation failed with the following errors:\n  \[agents\/big\] agent "big" has 21 tools, [^\n]*$/);
  });
});

describe('Topology', () => {
  it('draws orchestrator → agents → MCP servers → models in Mermaid', () => {
    const { chart, agent, model, tools } = swarm();
    const a = agent('ops', { tools: [tools] });
    new Orchestrator(chart, 'boss', { name: 'boss', description: 'd', modelConfig: model, delegates: [a] });
    const doc = renderTopology(chart);
    expect(doc).toContain('```mermaid\nflowchart LR');
    expect(doc).toContain('agent_kagent_boss -->|A2A| agent_kagent_ops');
    expect(doc).toContain('agent_kagent_ops -->|MCP| mcp_kagent_k8s');
    expect(doc).toContain('agent_kagent_ops -.->|model| model_kagent_ollama_agents_kimi_k2_6_cloud');
  });
});

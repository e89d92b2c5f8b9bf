import { App } from 'cdk8s';
import {
  Agent,
  Ollama,
  OllamaModelConfig,
  Orchestrator,
  PlatformChart,
  RemoteMcpServer,
  TalosNamespace,
  inlinePrompt,
  promptFile,
  runSynth,
} from 'agent-platform-cdk8s';

function build(): App {
  const app = new App();

  // One folder of dist/ per chart: each becomes an Argo CD Application.
  const namespaces = new PlatformChart(app, 'namespaces', { folder: 'namespaces' });
  const team = new TalosNamespace(namespaces, 'docs-team', { name: 'docs-team' }); // Pod Security "restricted"

  const models = new PlatformChart(app, 'models', { folder: 'models', namespace: team.name });
  const ollama = new Ollama(models, 'ollama', { namespace: team, numParallel: 4 });

  const agents = new PlatformChart(app, 'agents', { folder: 'agents', namespace: team.name });
  const qwen = new OllamaModelConfig(agents, 'qwen', { ollama, model: 'qwen3:8b' }); // Ollama pulls it on sync
  const docs = new RemoteMcpServer(agents, 'docs', {
    name: 'docs',
    description: 'Search and read the internal handbook',
    url: 'http://handbook-mcp.tools:8080/mcp',
    knownTools: ['search', 'read'],
  });

  const writer = new Agent(agents, 'writer', {
    name: 'writer',
    description: 'Writes release notes from the handbook',
    modelConfig: qwen,
    systemPrompt: promptFile('prompts/writer.md'), // long prompts live in files, reviewed like code
    tools: [{ server: docs, toolNames: ['search', 'read'] }],
  });
  const reviewer = new Agent(agents, 'reviewer', {
    name: 'reviewer',
    description: 'Reviews text for tone and correctness',
    modelConfig: qwen,
    systemPrompt: inlinePrompt('You review drafts and list concrete fixes.'),
  });
  new Orchestrator(agents, 'lead', { name: 'lead', description: 'Routes writing and review', modelConfig: qwen, delegates: [writer, reviewer] });
  return app;
}

// Validates every object against the pinned schemas and Pod Security, then replaces dist/ in one rename;
// any error is printed with its construct path, exits non-zero and leaves dist/ as it was.
runSynth(build);

/**
 * The Azure DevOps agent on the real kagent-adk runtime, as both approval tests run it: the scripted LLM
 * stand-in, the kagent controller stand-in (session/task API, A2A proxy), the Azure DevOps MCP stand-in, and the
 * agent with config.json and agent-card.json as kagent's controller writes them into the agent's Secret (v0.9.12
 * translator, testdata/outputs/agent_with_require_approval.json), for the preset's two work-item tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AZURE_DEVOPS_TOOLS, AZURE_DEVOPS_WRITE_TOOLS } from '../../src/tools/azure-devops-tools';
import { KAGENT_ADK_VERSION, type KagentAdk } from './kagent-adk';
import { startControllerStandIn, type ControllerStandIn } from './kagent-controller-stand-in';
import { startLlmStandIn, WORK_ITEM_ARGS, WORK_ITEM_TOOL, type LlmStandIn } from './llm-stand-in';
import { freePort, startBounded, waitForHttp, type BoundedProcess } from './processes';
import { step } from './steps';

export const NAMESPACE = 'kagent';
export const AGENT = 'azure-devops';
/** Every process is killed after this long, whatever the test does. */
export const PROCESS_DEADLINE_MS = 12 * 60_000;
/** The preset's work-item tools the agent offers, and those of them the library puts behind approval. */
export const OFFERED = ['wit_work_item', 'wit_work_item_write'].filter((t) => (AZURE_DEVOPS_TOOLS['work-items'] as readonly string[]).includes(t));
export const REQUIRE_APPROVAL = OFFERED.filter((t) => AZURE_DEVOPS_WRITE_TOOLS.includes(t));
/** The question the bridge and the Pipe end an approval pause with. */
export const QUESTION = `The agent wants to run \`${WORK_ITEM_TOOL}\` with \`${JSON.stringify(WORK_ITEM_ARGS)}\`. Reply **yes** to approve or **no** to reject.`;

export interface AzureDevOpsAgent {
  readonly llm: LlmStandIn;
  readonly controller: ControllerStandIn;
  readonly mcpUrl: string;
  readonly mcpPort: number;
  readonly agentUrl: string;
  readonly agentPort: number;
}

/** Starts the three stand-ins and the agent on 127.0.0.1; each process goes into `processes` for the caller to stop. */
export async function startAzureDevOpsAgent(adk: KagentAdk, workDir: string, processes: BoundedProcess[]): Promise<AzureDevOpsAgent> {
  const agentPort = await freePort();
  const agentUrl = `http://127.0.0.1:${agentPort}`;
  const llm = await step('LLM stand-in (OpenAI-compatible, scripted) on 127.0.0.1', () => startLlmStandIn());
  const controller = await step('kagent controller stand-in (session/task API, A2A proxy) on 127.0.0.1', () =>
    startControllerStandIn({ agent: `${NAMESPACE}/${AGENT}`, agentUrl: () => agentUrl }),
  );

  const mcpPort = await freePort();
  const mcpUrl = `http://127.0.0.1:${mcpPort}`;
  const mcp = startBounded('azure-devops-mcp-stand-in', adk.python, [join(__dirname, 'azure-devops-mcp-stand-in.py'), String(mcpPort)], {
    deadlineMs: PROCESS_DEADLINE_MS,
  });
  processes.push(mcp);
  await step('Azure DevOps MCP stand-in (Python mcp, streamable HTTP) on 127.0.0.1', () => waitForHttp(`${mcpUrl}/health`, 60_000, mcp));

  const configDir = join(workDir, 'config');
  mkdirSync(configDir);
  const config = {
    model: { type: 'openai', model: 'stand-in-model', base_url: llm.baseUrl },
    description: 'Senior PO agent for Azure DevOps User Stories',
    instruction: 'You create and read Azure DevOps work items with your tools.',
    http_tools: [
      {
        // RemoteMCPServer defaults: timeout 30s, terminateOnClose true.
        params: { url: `${mcpUrl}/mcp`, headers: {}, timeout: 30, terminate_on_close: true },
        tools: OFFERED,
        require_approval: REQUIRE_APPROVAL,
      },
    ],
    // The library renders spec.declarative.stream: true by default.
    stream: true,
  };
  const card = {
    name: AGENT.replace(/-/g, '_'),
    description: config.description,
    url: agentUrl,
    version: '',
    capabilities: { streaming: true },
    defaultInputModes: ['text'],
    defaultOutputModes: ['text'],
    skills: [],
    supportedInterfaces: [
      { url: agentUrl, protocolBinding: 'JSONRPC', protocolVersion: '0.3' },
      { url: agentUrl, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    ],
    protocolVersion: '0.3',
    preferredTransport: 'JSONRPC',
  };
  writeFileSync(join(configDir, 'config.json'), JSON.stringify(config, null, 2));
  writeFileSync(join(configDir, 'agent-card.json'), JSON.stringify(card, null, 2));

  // `python -m kagent.adk.cli` is the `kagent-adk` entry point (kagent.adk.cli:run_cli); the venv's own script
  // would carry the staging folder's path in its shebang.
  const agent = startBounded(
    'kagent-adk',
    adk.python,
    ['-m', 'kagent.adk.cli', 'static', '--host', '127.0.0.1', '--port', String(agentPort), '--filepath', configDir],
    {
      deadlineMs: PROCESS_DEADLINE_MS,
      cwd: workDir,
      env: {
        PATH: process.env.PATH,
        HOME: workDir,
        // The controller sets these three; KAGENT_URL is where the session and task API is.
        KAGENT_URL: controller.url,
        KAGENT_NAME: AGENT,
        KAGENT_NAMESPACE: NAMESPACE,
        // From the ModelConfig's apiKeySecret, in the cluster.
        OPENAI_API_KEY: 'stand-in-llm-key',
        OTEL_SDK_DISABLED: 'true',
        LOG_LEVEL: 'info',
        PYTHONUNBUFFERED: '1',
        NO_PROXY: '127.0.0.1,localhost',
      },
    },
  );
  processes.push(agent);
  await step(`kagent-adk ${KAGENT_ADK_VERSION} agent ${NAMESPACE}/${AGENT} on 127.0.0.1`, () => waitForHttp(`${agentUrl}/health`, 120_000, agent));
  return { llm, controller, mcpUrl, mcpPort, agentUrl, agentPort };
}

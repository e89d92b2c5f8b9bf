/**
 * A real A2A v0.3 server (@a2a-js/sdk 0.3.x, JSON-RPC over express) whose executor emits events in kagent
 * 0.7's order: the task, the user's message echoed back, a `working` status with session metadata, partial
 * text chunks, the full text repeated as one non-partial event, tool call/response data parts, the aggregated
 * artifact and a final `completed`. Agents are served at `/api/a2a/<namespace>/<name>/`, like the kagent
 * controller. Run standalone with `tsx test/support/kagent-like-a2a-server.ts <port>` (the pipe tests do).
 *
 * The user's message picks a scenario: text starting with `FAIL` ends `failed`, `STALL` never finishes,
 * `NOSTREAM` sends only full messages (a model without streaming), `TOOL` runs a tool between two turns,
 * `APPROVE` pauses in `input-required` for a human approval.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AgentCard, Message, TaskStatusUpdateEvent } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryTaskStore, type AgentExecutor, type ExecutionEventBus, type RequestContext } from '@a2a-js/sdk/server';
import { UserBuilder, jsonRpcHandler } from '@a2a-js/sdk/server/express';
import express from 'express';

/** What the server received, for assertions on the bridge's requests. */
export interface ReceivedMessage {
  readonly agent: string;
  readonly contextId: string;
  readonly text: string;
  readonly partCount: number;
}

export interface KagentLikeServer {
  readonly url: string;
  /** `<url>/api/a2a` — what the bridge's A2A_BASE_URL points at. */
  readonly a2aBaseUrl: string;
  readonly received: ReceivedMessage[];
  close(): Promise<void>;
}

/** The exact answer an agent gives; tests compare the bridge's output with it. */
export function expectedAnswer(agent: string, text: string, contextId: string): string {
  const main = `Agent ${agent} answers "${text}" in context ${contextId}. Done.`;
  return text.startsWith('TOOL') ? `Let me check the cluster.${main}` : main;
}

const chunk = (text: string, size = 7) => text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class KagentLikeExecutor implements AgentExecutor {
  private readonly stalled = new Set<() => void>();

  constructor(private readonly agent: string, private readonly received: ReceivedMessage[], private readonly chunkDelayMs: number) {}

  public async execute(ctx: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId, userMessage } = ctx;
    const text = userMessage.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    this.received.push({ agent: this.agent, contextId, text, partCount: userMessage.parts.length });
    const session = { kagent_app_name: `kagent__NS__${this.agent}`, kagent_user_id: `A2A_USER_${contextId}`, kagent_session_id: contextId };
    const status = (state: TaskStatusUpdateEvent['status']['state'], message?: Message, final = false, metadata?: Record<string, unknown>): TaskStatusUpdateEvent => ({
      kind: 'status-update', taskId, contextId, status: { state, message, timestamp: new Date().toISOString() }, final, metadata,
    });
    const agentMessage = (parts: Message['parts'], metadata: Record<string, unknown>): Message => ({
      kind: 'message', messageId: randomUUID(), role: 'agent', parts, taskId, contextId, metadata,
    });

    bus.publish({ kind: 'task', id: taskId, contextId, status: { state: 'submitted' }, history: [userMessage], artifacts: [] });
    bus.publish(status('submitted', { ...userMessage, taskId, contextId }));
    bus.publish(status('working', undefined, false, session));

    const say = async (answer: string) => {
      if (!text.startsWith('NOSTREAM')) {
        for (const piece of chunk(answer)) {
          bus.publish(status('working', agentMessage([{ kind: 'text', text: piece }], { ...session, kagent_adk_partial: true })));
          if (this.chunkDelayMs) await sleep(this.chunkDelayMs);
        }
      }
      bus.publish(status('working', agentMessage([{ kind: 'text', text: answer }], { ...session, kagent_adk_partial: false })));
    };

    if (text.startsWith('FAIL')) {
      await say('Thinking...');
      bus.publish(status('failed', agentMessage([{ kind: 'text', text: 'model provider returned 500' }], session), true));
      return bus.finished();
    }
    if (text.startsWith('APPROVE')) {
      await say('I need approval to delete the pod.');
      bus.publish(status('input-required', agentMessage([{ kind: 'text', text: 'Approve k8s_delete_resource?' }], session), true));
      return bus.finished();
    }
    if (text.startsWith('STALL')) {
      await new Promise<void>((resolve) => {
        this.stalled.add(resolve);
        setTimeout(resolve, 30_000).unref();
      });
      return bus.finished();
    }
    const answer = expectedAnswer(this.agent, text, contextId);
    if (text.startsWith('TOOL')) {
      const intro = 'Let me check the cluster.';
      await say(intro);
      const call = { id: 'call-1', name: 'k8s_get_resources', args: { kind: 'pods' } };
      bus.publish(status('working', agentMessage([{ kind: 'data', data: call, metadata: { kagent_type: 'function_call' } }], session)));
      bus.publish(status('working', agentMessage([{ kind: 'data', data: { id: 'call-1', name: call.name, response: { pods: 3 } }, metadata: { kagent_type: 'function_response' } }], session)));
      await say(answer.slice(intro.length));
    } else {
      await say(answer);
    }
    bus.publish({ kind: 'artifact-update', taskId, contextId, artifact: { artifactId: randomUUID(), parts: [{ kind: 'text', text: answer }] }, lastChunk: true });
    bus.publish(status('completed', undefined, true, { ...session, kagent_invocation_id: randomUUID() }));
    bus.finished();
  }

  public async cancelTask(): Promise<void> {}

  /** Releases stalled executions (on shutdown). */
  public release(): void {
    for (const resolve of this.stalled) resolve();
  }
}

function card(namespace: string, name: string, url: string): AgentCard {
  return {
    name, description: `kagent-like test agent ${namespace}/${name}`, url, version: '0.7.23', protocolVersion: '0.3.0',
    capabilities: { streaming: true }, defaultInputModes: ['text'], defaultOutputModes: ['text'], skills: [], preferredTransport: 'JSONRPC',
  };
}

/** Starts the server on a loopback port; `agents` are `namespace/name`. */
export async function startKagentLikeServer(agents: readonly string[], options: { port?: number; chunkDelayMs?: number } = {}): Promise<KagentLikeServer> {
  const app = express();
  const received: ReceivedMessage[] = [];
  const executors: KagentLikeExecutor[] = [];
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // For tests in other processes (the Python pipe tests): what the agents received so far.
  app.get('/_received', (_req, res) => void res.json(received));
  for (const agent of agents) {
    const [namespace, name] = agent.split('/');
    const executor = new KagentLikeExecutor(name, received, options.chunkDelayMs ?? 0);
    executors.push(executor);
    const handler = new DefaultRequestHandler(card(namespace, name, `${url}/api/a2a/${agent}/`), new InMemoryTaskStore(), executor);
    app.use(`/api/a2a/${namespace}/${name}`, jsonRpcHandler({ requestHandler: handler, userBuilder: UserBuilder.noAuthentication }));
  }
  return {
    url,
    a2aBaseUrl: `${url}/api/a2a`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        executors.forEach((e) => e.release());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 0);
  startKagentLikeServer(['kagent/jairix', 'kagent/azure-devops'], { port }).then((s) => {
    process.stdout.write(`${s.url}\n`);
    process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
  });
}

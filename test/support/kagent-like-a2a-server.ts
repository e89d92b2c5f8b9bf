/**
 * A real A2A server (the official `@a2a-js/sdk`: 0.3.14 for the v0.3 wire format, 1.3.0 — imported as
 * `a2a-sdk-v1` — for v1.0) whose agents emit kagent's event order. Agents are served at
 * `/api/a2a/<namespace>/<name>/`, like the kagent controller.
 *
 * ## Public interface
 *
 * `startKagentLikeServer(agents, options?)` → `Promise<KagentLikeServer>`
 * - `agents`: `['<namespace>/<name>', …]`.
 * - `options.protocol` (`KagentProtocol`, default `'v0.3'`):
 *   - `'v0.3'` — kagent 0.7: v0.3 JSON-RPC only (`message/stream`, `message/send`), the `A2A-Version` header is
 *     ignored, the card is at the 0.7 path `<agent>/.well-known/agent.json` (v0.3 card, `protocolVersion: "0.3.0"`).
 *   - `'negotiate'` — kagent 0.9.12: the card is at `<agent>/.well-known/agent-card.json` and is the hybrid card
 *     (v0.3 fields `url`/`protocolVersion: "0.3"`/`preferredTransport`, plus `supportedInterfaces` =
 *     `[{JSONRPC, 0.3}, {JSONRPC, 1.0}]`, same URL). Requests are routed by the `A2A-Version` header: missing or
 *     `0.3` → v0.3 handler, exactly `1.0` → v1.0 handler (`SendStreamingMessage`, `SendMessage`), anything
 *     else → plain-text HTTP 400.
 *   - `'v1.0'` — kagent 1.x: v1.0 only; the card at `agent-card.json` lists only `{JSONRPC, 1.0}` (no top-level
 *     `url`/`protocolVersion`); a request without `A2A-Version: 1.0` gets plain-text HTTP 400.
 * - `options.port` (default: a free port), `options.chunkDelayMs` (pause between streamed chunks, default 0).
 *
 * `KagentLikeServer`: `url` (e.g. `http://127.0.0.1:PORT`), `a2aBaseUrl` (`<url>/api/a2a`, what the bridge's
 * `A2A_BASE_URL` points at), `received` (every user message, all versions: `{agent, contextId, text, partCount,
 * version, userId}`; `userId` is the `x-user-id` header, absent when none was sent), `requests` (every JSON-RPC
 * POST: `{agent, version, method}`), `cardRequests` (card paths fetched), `toolCalls` (every write-tool call that
 * ran: `{agent, name, args, contextId, userId}`), `decisions` (every well-formed approval decision: `{agent, taskId,
 * contextId, decision, reason?}`), `close()`. For tests in other processes: `GET <url>/_received` returns `received`
 * without `version`, `GET <url>/_requests` returns `requests`, `GET <url>/_tool_calls` and `GET <url>/_decisions`
 * return `toolCalls` and `decisions`.
 *
 * ## Users and sessions (kagent-adk)
 * The user is the `x-user-id` header, as kagent's unsecure authenticator reads it, else `A2A_USER_<contextId>`;
 * sessions are keyed by user and `contextId`, so two users in the same context do not share one.
 *
 * `expectedAnswer(agent, text, contextId)`: the exact answer text the bridge must produce.
 *
 * Standalone: `tsx test/support/kagent-like-a2a-server.ts <port> [v0.3|negotiate|v1.0]` prints the URL.
 *
 * ## Events (kagent 0.9 Python ADK agent, see the reference notes), in either wire format
 * the task; `submitted` with the user's message echoed back (role user); `working` with session metadata;
 * partial text chunks (`kagent_adk_partial: true`); the full text repeated once as a non-partial event; tool
 * call/response `data` parts; the aggregated artifact (`lastChunk`); a final `completed`. In v0.3 the final
 * status has `final: true`; v1.0 has no `final` — the stream simply closes after the terminal state.
 *
 * ## Scenarios (the user's message picks one by prefix)
 * `FAIL` ends `failed`; `APPROVE` pauses in `input-required`; `STALL` sends nothing after `working` (until
 * close); `NOSTREAM` sends only full messages; `TOOL` runs a tool between two turns; `CUTOFF` streams part of the
 * answer and then ends the stream without a final status (kagent 0.9 cutting a run after 3 minutes);
 * `BIG <n>` answers with exactly `n` characters (`bigAnswer(n)`), in chunks of 16 KiB; `RECALL` answers with what
 * the session heard before (`recallAnswer(earlier)`).
 *
 * ## Tool approval (kagent-adk 0.9.12 HITL), on the `azure-devops` agent only
 * `WRITE <title>` makes the agent call its write tool `wit_create_work_item` (marked `requireApproval`). As
 * kagent-adk does (`_approval.py` `make_approval_callback` → ADK `generate_request_confirmation_event` →
 * `event_converter.py` → `_agent_executor.py` `_handle_request`), the turn streams the intro text, the tool's
 * `function_call` part, then a `working` status whose agent message holds one `data` part
 * `{name: "adk_request_confirmation", id: "adk-<uuid>", args: {originalFunctionCall: {id, name, args},
 * toolConfirmation: {hint, confirmed: false}}}` with metadata `{kagent_type: "function_call",
 * kagent_is_long_running: true}`, and ends with a final `input-required` status carrying that same message.
 *
 * The client continues by sending a message **on the same task** (`taskId`, same `contextId`, same user) whose
 * parts are exactly one `data` part `{decision_type: "approve"}` or `{decision_type: "reject", rejection_reason?}`
 * (no `kagent_type` metadata) plus any text parts (kagent's UI adds "Approved"/"Rejected"). Approve runs the tool
 * (recorded in `toolCalls`) and completes with `approvedAnswer(id, title)`; reject completes with
 * `rejectedAnswer(reason)` and runs nothing. Anything else ends the task `failed` with `invalid HITL decision: …`:
 * a decision without `taskId`, an unknown key or value, a second data part, or a message on a context whose
 * approval is pending that is not on the pending task.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AgentCard as AgentCardV03, Message as MessageV03, Part as PartV03, TaskStatusUpdateEvent as StatusV03 } from '@a2a-js/sdk';
import {
  DefaultRequestHandler as HandlerV03,
  InMemoryTaskStore as StoreV03,
  type AgentExecutor as ExecutorV03,
  type ExecutionEventBus as BusV03,
  type RequestContext as ContextV03,
} from '@a2a-js/sdk/server';
import { jsonRpcHandler as jsonRpcV03 } from '@a2a-js/sdk/server/express';
import { Role, TaskState, type AgentCard as AgentCardV1, type Message as MessageV1, type Part as PartV1 } from 'a2a-sdk-v1';
import {
  AgentEvent,
  DefaultRequestHandler as HandlerV1,
  InMemoryTaskStore as StoreV1,
  type AgentExecutor as ExecutorV1,
  type ExecutionEventBus as BusV1,
  type RequestContext as ContextV1,
} from 'a2a-sdk-v1/server';
import { jsonRpcHandler as jsonRpcV1 } from 'a2a-sdk-v1/server/express';
import express, { type NextFunction, type Request, type Response } from 'express';

/** Which A2A wire versions the server speaks, and how it picks one (see the file header). */
export type KagentProtocol = 'v0.3' | 'negotiate' | 'v1.0';
/** An A2A wire version as sent in the `A2A-Version` header. */
export type WireVersion = '0.3' | '1.0';

/** What the server received, for assertions on the bridge's requests. */
export interface ReceivedMessage {
  readonly agent: string;
  readonly contextId: string;
  readonly text: string;
  readonly partCount: number;
  /** The wire version the message arrived in. */
  readonly version: WireVersion;
  /** The `x-user-id` header of the request, when it had one. */
  readonly userId?: string;
}

/** One JSON-RPC POST to an agent endpoint. */
export interface ReceivedRequest {
  readonly agent: string;
  readonly version: WireVersion;
  readonly method: string;
}

/** A write-tool call that ran (only ever after an approval). */
export interface ToolCall {
  readonly agent: string;
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly contextId: string;
  readonly userId: string;
}

/** A well-formed approval decision, as kagent-adk would act on it. */
export interface ReceivedDecision {
  readonly agent: string;
  readonly taskId: string;
  readonly contextId: string;
  readonly decision: 'approve' | 'reject';
  readonly reason?: string;
}

export interface KagentLikeServerOptions {
  /** @default - a free loopback port */
  readonly port?: number;
  /** Pause between streamed chunks. @default 0 */
  readonly chunkDelayMs?: number;
  /** @default 'v0.3' */
  readonly protocol?: KagentProtocol;
}

export interface KagentLikeServer {
  readonly url: string;
  /** `<url>/api/a2a` — what the bridge's A2A_BASE_URL points at. */
  readonly a2aBaseUrl: string;
  readonly protocol: KagentProtocol;
  readonly received: ReceivedMessage[];
  readonly requests: ReceivedRequest[];
  /** Paths of agent-card requests (found or not). */
  readonly cardRequests: string[];
  readonly toolCalls: ToolCall[];
  readonly decisions: ReceivedDecision[];
  close(): Promise<void>;
}

/** The exact answer an agent gives; tests compare the bridge's output with it. */
export function expectedAnswer(agent: string, text: string, contextId: string): string {
  const big = /^BIG (\d+)/.exec(text);
  if (big) return bigAnswer(Number(big[1]));
  const main = `Agent ${agent} answers "${text}" in context ${contextId}. Done.`;
  return text.startsWith('TOOL') ? `Let me check the cluster.${main}` : main;
}

/** The answer of `BIG <n>`: exactly `n` characters. */
export function bigAnswer(n: number): string {
  const line = 'The quick brown fox jumps over the lazy dog. ';
  return line.repeat(Math.ceil(n / line.length)).slice(0, n);
}

/** The answer of `RECALL`: the earlier user messages of the session (same user, same context), in order. */
export function recallAnswer(earlier: readonly string[]): string {
  return `I remember: ${earlier.length > 0 ? earlier.map((t) => JSON.stringify(t)).join(', ') : 'nothing yet'}.`;
}

/** The part of a `CUTOFF` answer streamed before the stream ends. */
export const CUTOFF_PARTIAL = 'Working on it: step 1 of 3 done, ';

/** The agent that has the write tool, and the tool (kagent: an MCP tool listed in `requireApproval`). */
export const WRITE_AGENT = 'azure-devops';
export const WRITE_TOOL = 'wit_create_work_item';
/** What the agent says before it calls the write tool. */
export const WRITE_INTRO = 'I will create the work item.';
/** The arguments the agent calls the write tool with, for `WRITE <title>`. */
export function writeToolArgs(title: string): Record<string, unknown> {
  return { project: 'Lab', workItemType: 'User Story', title };
}
/** The answer after an approved call: it quotes the tool's result (the new work item's id). */
export function approvedAnswer(id: number, title: string): string {
  return `Created User Story ${id} "${title}" in project Lab.`;
}
/** The answer after a rejected call; the tool did not run. */
export function rejectedAnswer(reason?: string): string {
  return `Understood, I did not create the work item.${reason ? ` Your reason: ${reason}` : ''}`;
}
/** The id the first created work item gets; each further one is one higher (per server). */
export const FIRST_WORK_ITEM_ID = 4711;

const chunk = (text: string, size: number) => text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g')) ?? [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type State = 'submitted' | 'working' | 'completed' | 'failed' | 'input-required';
/** A part in kagent's vocabulary; each wire version renders it (and reads incoming parts into it). */
type KPart = { readonly text: string } | { readonly data: unknown; readonly metadata?: Record<string, unknown> };
type Meta = Record<string, unknown>;

/** One incoming user message, in kagent's vocabulary. */
interface ScriptInput {
  /** The text parts, joined. */
  readonly text: string;
  readonly parts: readonly KPart[];
  readonly contextId: string;
  readonly taskId: string;
  /** The message named an existing task (the client sent its `taskId`). */
  readonly continues: boolean;
  /** The `x-user-id` header, when sent. */
  readonly userHeader?: string;
}

/** A write-tool call waiting for the user's decision (kagent-adk: an unanswered `adk_request_confirmation`). */
interface PendingApproval {
  readonly user: string;
  readonly contextId: string;
  readonly call: { readonly id: string; readonly name: string; readonly args: Record<string, unknown> };
}

/** What a scenario does; each wire version implements it with its own SDK's shapes. */
interface KagentEmitter {
  task(): void;
  userEcho(): void;
  status(state: State, message?: { parts: readonly KPart[]; metadata: Meta }, final?: boolean, metadata?: Meta): void;
  artifact(text: string): void;
  finished(): void;
}

/**
 * The decision in a continuation message, checked as strictly as kagent-core's `_hitl_utils.py` reads it
 * (`extract_decision_from_message`, `extract_rejection_reasons_from_message`), or why it is not one.
 */
function decisionOf(parts: readonly KPart[]): { readonly decision: 'approve' | 'reject'; readonly reason?: string } | string {
  const data = parts.filter((p): p is Extract<KPart, { data: unknown }> => 'data' in p);
  if (data.length !== 1) return `expected exactly one data part holding decision_type, got ${data.length}`;
  const [{ data: value, metadata }] = data;
  if (metadata?.kagent_type !== undefined || metadata?.adk_type !== undefined) return 'the decision data part must not carry kagent_type metadata';
  if (!value || typeof value !== 'object' || Array.isArray(value)) return 'the decision data part must hold an object';
  const d = value as Record<string, unknown>;
  const unknown = Object.keys(d).filter((k) => k !== 'decision_type' && k !== 'rejection_reason');
  if (unknown.length > 0) return `unknown decision keys: ${unknown.join(', ')}`;
  if (d.decision_type !== 'approve' && d.decision_type !== 'reject')
    return `decision_type must be "approve" or "reject", got ${JSON.stringify(d.decision_type)}`;
  if (d.rejection_reason !== undefined && (d.decision_type !== 'reject' || typeof d.rejection_reason !== 'string' || d.rejection_reason === '')) {
    return 'rejection_reason must be a non-empty string, and only on a reject';
  }
  return { decision: d.decision_type, ...(typeof d.rejection_reason === 'string' && { reason: d.rejection_reason }) };
}

/** The scenario script shared by both wire versions: kagent's event order. */
class KagentScript {
  private readonly stalled = new Set<() => void>();
  /** What each session heard, by user and context id (kagent-adk's session key). */
  private readonly sessions = new Map<string, string[]>();
  /** Approvals waiting for a decision, by task id. */
  private readonly pending = new Map<string, PendingApproval>();
  private nextWorkItem = FIRST_WORK_ITEM_ID;

  constructor(
    private readonly agent: string,
    private readonly chunkDelayMs: number,
    private readonly toolCalls: ToolCall[],
    private readonly decisions: ReceivedDecision[],
  ) {}

  public async run(input: ScriptInput, out: KagentEmitter): Promise<void> {
    const { text, contextId, taskId } = input;
    const user = input.userHeader || `A2A_USER_${contextId}`;
    const session = { kagent_app_name: `kagent__NS__${this.agent}`, kagent_user_id: user, kagent_session_id: contextId };
    const agentMsg = (parts: readonly KPart[], metadata: Meta = session) => ({ parts, metadata });
    const big = /^BIG (\d+)/.test(text);
    const say = async (answer: string) => {
      if (!text.startsWith('NOSTREAM')) {
        for (const piece of chunk(answer, big ? 16 * 1024 : 7)) {
          out.status('working', agentMsg([{ text: piece }], { ...session, kagent_adk_partial: true }));
          if (this.chunkDelayMs) await sleep(this.chunkDelayMs);
        }
      }
      out.status('working', agentMsg([{ text: answer }], { ...session, kagent_adk_partial: false }));
    };
    // kagent-adk announces only a new task (`if not context.current_task`).
    if (!input.continues) {
      out.task();
      out.userEcho();
    }
    const waiting = [...this.pending].find(([, p]) => p.user === user && p.contextId === contextId);
    if (input.continues || waiting) return this.resume(input, user, waiting?.[0], session, say, out);

    const heard = this.sessions.get(`${user}\0${contextId}`) ?? [];
    this.sessions.set(`${user}\0${contextId}`, [...heard, text]);
    out.status('working', undefined, false, session);

    if (text.startsWith('FAIL')) {
      await say('Thinking...');
      out.status('failed', agentMsg([{ text: 'model provider returned 500' }]), true);
      return out.finished();
    }
    if (text.startsWith('APPROVE')) {
      await say('I need approval to delete the pod.');
      out.status('input-required', agentMsg([{ text: 'Approve k8s_delete_resource?' }]), true);
      return out.finished();
    }
    if (text.startsWith('WRITE ') && this.agent === WRITE_AGENT) {
      await say(WRITE_INTRO);
      const call = { id: `call_${randomUUID().slice(0, 8)}`, name: WRITE_TOOL, args: writeToolArgs(text.slice('WRITE '.length).trim()) };
      const full = { ...session, kagent_adk_partial: false };
      out.status('working', agentMsg([{ data: call, metadata: { kagent_type: 'function_call' } }], full));
      // ADK's generate_request_confirmation_event, through kagent's event converter (long-running function call).
      const confirmation = agentMsg(
        [
          {
            data: {
              id: `adk-${randomUUID()}`,
              name: 'adk_request_confirmation',
              args: { originalFunctionCall: call, toolConfirmation: { hint: `Tool '${WRITE_TOOL}' requires approval before execution.`, confirmed: false } },
            },
            metadata: { kagent_type: 'function_call', kagent_is_long_running: true },
          },
        ],
        full,
      );
      // kagent's TaskResultAggregator leaves the intermediate event `working`; the final event carries the state.
      out.status('working', confirmation);
      this.pending.set(taskId, { user, contextId, call });
      out.status('input-required', confirmation, true, { ...session, kagent_invocation_id: randomUUID() });
      return out.finished();
    }
    if (text.startsWith('STALL')) {
      await new Promise<void>((resolve) => {
        this.stalled.add(resolve);
        setTimeout(resolve, 30_000).unref();
      });
      return out.finished();
    }
    if (text.startsWith('CUTOFF')) {
      for (const piece of chunk(CUTOFF_PARTIAL, 7)) out.status('working', agentMsg([{ text: piece }], { ...session, kagent_adk_partial: true }));
      return out.finished(); // no final status: the stream just ends
    }
    const answer = text.startsWith('RECALL') ? recallAnswer(heard) : expectedAnswer(this.agent, text, contextId);
    if (text.startsWith('TOOL')) {
      const intro = 'Let me check the cluster.';
      await say(intro);
      const call = { id: 'call-1', name: 'k8s_get_resources', args: { kind: 'pods' } };
      out.status('working', agentMsg([{ data: call, metadata: { kagent_type: 'function_call' } }]));
      out.status('working', agentMsg([{ data: { id: 'call-1', name: call.name, response: { pods: 3 } }, metadata: { kagent_type: 'function_response' } }]));
      await say(answer.slice(intro.length));
    } else {
      await say(answer);
    }
    out.artifact(answer);
    out.status('completed', undefined, true, { ...session, kagent_invocation_id: randomUUID() });
    out.finished();
  }

  /** A message on a task waiting for approval, or on a context with one: the decision, else `failed`. */
  private async resume(
    input: ScriptInput,
    user: string,
    waitingTask: string | undefined,
    session: Meta,
    say: (answer: string) => Promise<void>,
    out: KagentEmitter,
  ): Promise<void> {
    const { taskId, contextId } = input;
    const fail = (why: string) => {
      out.status('failed', { parts: [{ text: `invalid HITL decision: ${why}` }], metadata: session }, true);
      out.finished();
    };
    if (!input.continues) return fail(`a tool approval is pending on task ${waitingTask}: send the decision on that task (taskId)`);
    const pending = this.pending.get(taskId);
    if (!pending) return fail(`task ${taskId} has no pending tool approval`);
    if (pending.user !== user || pending.contextId !== contextId) return fail('the decision must come from the user and context of the task');
    this.pending.delete(taskId);
    const decision = decisionOf(input.parts);
    if (typeof decision === 'string') return fail(decision);
    this.decisions.push({ agent: this.agent, taskId, contextId, ...decision });
    out.status('working', undefined, false, session);
    const { call } = pending;
    let answer: string;
    let response: Record<string, unknown>;
    if (decision.decision === 'approve') {
      this.toolCalls.push({ agent: this.agent, name: call.name, args: call.args, contextId, userId: user });
      const id = this.nextWorkItem++;
      response = { id, title: call.args.title, state: 'New' };
      answer = approvedAnswer(id, String(call.args.title));
    } else {
      // kagent-adk's before_tool callback answers for the tool, which never runs.
      response = { result: `Tool call was rejected by user.${decision.reason ? ` Reason: ${decision.reason}` : ''}` };
      answer = rejectedAnswer(decision.reason);
    }
    out.status('working', { parts: [{ data: { id: call.id, name: call.name, response }, metadata: { kagent_type: 'function_response' } }], metadata: session });
    await say(answer);
    out.artifact(answer);
    out.status('completed', undefined, true, { ...session, kagent_invocation_id: randomUUID() });
    out.finished();
  }

  /** Releases stalled executions (on shutdown). */
  public release(): void {
    for (const resolve of this.stalled) resolve();
  }
}

/** v0.3 shapes (`kind` discriminators, lower-case states, `final`), on @a2a-js/sdk 0.3.14. */
class ExecutorV03Impl implements ExecutorV03 {
  constructor(
    private readonly script: KagentScript,
    private readonly agent: string,
    private readonly received: ReceivedMessage[],
  ) {}

  public async execute(ctx: ContextV03, bus: BusV03): Promise<void> {
    const { taskId, contextId, userMessage } = ctx;
    const text = userMessage.parts.map((p) => (p.kind === 'text' ? p.text : '')).join('');
    const userId = ctx.context?.user?.userName || undefined;
    this.received.push({ agent: this.agent, contextId, text, partCount: userMessage.parts.length, version: '0.3', ...(userId && { userId }) });
    const parts = userMessage.parts.map((p): KPart =>
      p.kind === 'text' ? { text: p.text } : p.kind === 'data' ? { data: p.data, metadata: p.metadata } : { text: '' },
    );
    const part = (p: KPart): PartV03 =>
      'text' in p ? { kind: 'text', text: p.text } : { kind: 'data', data: p.data as Record<string, unknown>, metadata: p.metadata };
    const message = (m: { parts: readonly KPart[]; metadata: Meta }): MessageV03 => ({
      kind: 'message',
      messageId: randomUUID(),
      role: 'agent',
      parts: m.parts.map(part),
      taskId,
      contextId,
      metadata: m.metadata,
    });
    const status = (state: StatusV03['status']['state'], msg: MessageV03 | undefined, final: boolean, metadata?: Meta): StatusV03 => ({
      kind: 'status-update',
      taskId,
      contextId,
      status: { state, message: msg, timestamp: new Date().toISOString() },
      final,
      metadata,
    });
    await this.script.run(
      { text, parts, contextId, taskId, continues: ctx.task !== undefined, userHeader: userId },
      {
        task: () => bus.publish({ kind: 'task', id: taskId, contextId, status: { state: 'submitted' }, history: [userMessage], artifacts: [] }),
        userEcho: () => bus.publish(status('submitted', { ...userMessage, taskId, contextId }, false)),
        status: (state, msg, final = false, metadata) => bus.publish(status(state, msg && message(msg), final, metadata)),
        artifact: (answer) =>
          bus.publish({
            kind: 'artifact-update',
            taskId,
            contextId,
            artifact: { artifactId: randomUUID(), parts: [{ kind: 'text', text: answer }] },
            lastChunk: true,
          }),
        finished: () => bus.finished(),
      },
    );
  }

  public async cancelTask(): Promise<void> {}
}

const V1_STATES: Record<State, TaskState> = {
  submitted: TaskState.TASK_STATE_SUBMITTED,
  working: TaskState.TASK_STATE_WORKING,
  completed: TaskState.TASK_STATE_COMPLETED,
  failed: TaskState.TASK_STATE_FAILED,
  'input-required': TaskState.TASK_STATE_INPUT_REQUIRED,
};

/** v1.0 shapes (no `kind`, `TASK_STATE_*`/`ROLE_*` enums, one-of parts, no `final`), on @a2a-js/sdk 1.3.0. */
class ExecutorV1Impl implements ExecutorV1 {
  constructor(
    private readonly script: KagentScript,
    private readonly agent: string,
    private readonly received: ReceivedMessage[],
  ) {}

  public async execute(ctx: ContextV1, bus: BusV1): Promise<void> {
    const { taskId, contextId, userMessage } = ctx;
    const text = userMessage.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
    const userId = ctx.context.user?.userName || undefined;
    this.received.push({ agent: this.agent, contextId, text, partCount: userMessage.parts.length, version: '1.0', ...(userId && { userId }) });
    const parts = userMessage.parts.map((p): KPart =>
      p.content?.$case === 'text' ? { text: p.content.value } : p.content?.$case === 'data' ? { data: p.content.value, metadata: p.metadata } : { text: '' },
    );
    const part = (p: KPart): PartV1 =>
      'text' in p
        ? { content: { $case: 'text', value: p.text }, metadata: undefined, filename: '', mediaType: 'text/plain' }
        : { content: { $case: 'data', value: p.data as Record<string, unknown> }, metadata: p.metadata, filename: '', mediaType: 'application/json' };
    const message = (m: { parts: readonly KPart[]; metadata: Meta }): MessageV1 => ({
      messageId: randomUUID(),
      role: Role.ROLE_AGENT,
      parts: m.parts.map(part),
      taskId,
      contextId,
      metadata: m.metadata,
      extensions: [],
      referenceTaskIds: [],
    });
    const status = (state: TaskState, msg: MessageV1 | undefined, metadata?: Meta) =>
      AgentEvent.statusUpdate({ taskId, contextId, status: { state, message: msg, timestamp: new Date().toISOString() }, metadata });
    // The v1.0 SDK wants a Task or Message as the first event, of a continued task too.
    if (ctx.task) bus.publish(AgentEvent.task(ctx.task));
    await this.script.run(
      { text, parts, contextId, taskId, continues: ctx.task !== undefined, userHeader: userId },
      {
        task: () =>
          bus.publish(
            AgentEvent.task({
              id: taskId,
              contextId,
              status: { state: TaskState.TASK_STATE_SUBMITTED, message: undefined, timestamp: undefined },
              history: [userMessage],
              artifacts: [],
              metadata: undefined,
            }),
          ),
        userEcho: () => bus.publish(status(TaskState.TASK_STATE_SUBMITTED, { ...userMessage, taskId, contextId })),
        status: (state, msg, _final, metadata) => bus.publish(status(V1_STATES[state], msg && message(msg), metadata)),
        artifact: (answer) =>
          bus.publish(
            AgentEvent.artifactUpdate({
              taskId,
              contextId,
              append: false,
              lastChunk: true,
              metadata: undefined,
              artifact: { artifactId: randomUUID(), name: '', description: '', parts: [part({ text: answer })], metadata: undefined, extensions: [] },
            }),
          ),
        finished: () => bus.finished(),
      },
    );
  }

  public async cancelTask(): Promise<void> {}
}

const CAPABILITIES = { streaming: true, pushNotifications: false, extendedAgentCard: false, extensions: [] };

/** kagent's unsecure authenticator: the caller is whoever the `x-user-id` header names (no header: nobody). */
class HeaderUser {
  constructor(public readonly userName: string) {}

  public get isAuthenticated(): boolean {
    return this.userName !== '';
  }
}

const userFromHeader = async (req: Request): Promise<HeaderUser> => new HeaderUser(req.header('x-user-id') ?? '');

function cardV03(namespace: string, name: string, url: string, protocolVersion: string): AgentCardV03 {
  return {
    name,
    description: `kagent-like test agent ${namespace}/${name}`,
    url,
    version: '0.9.12',
    protocolVersion,
    capabilities: { streaming: true },
    defaultInputModes: ['text'],
    defaultOutputModes: ['text'],
    skills: [],
    preferredTransport: 'JSONRPC',
  };
}

function cardV1(namespace: string, name: string, url: string, versions: readonly WireVersion[]): AgentCardV1 {
  return {
    name,
    description: `kagent-like test agent ${namespace}/${name}`,
    version: '0.9.12',
    supportedInterfaces: versions.map((protocolVersion) => ({ url, protocolBinding: 'JSONRPC', protocolVersion, tenant: '' })),
    provider: undefined,
    capabilities: CAPABILITIES,
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text'],
    defaultOutputModes: ['text'],
    skills: [],
    signatures: [],
  } as unknown as AgentCardV1;
}

/** kagent's `NegotiateA2AWireVersion`: which handler a request goes to, or undefined (→ HTTP 400). */
function negotiate(header: string | undefined, protocol: KagentProtocol): WireVersion | undefined {
  if (protocol === 'v0.3') return '0.3';
  if (protocol === 'v1.0') return header === '1.0' ? '1.0' : undefined;
  if (header === undefined || header === '' || header === '0.3') return '0.3';
  return header === '1.0' ? '1.0' : undefined;
}

/** Starts the server on a loopback port; `agents` are `namespace/name`. */
export async function startKagentLikeServer(agents: readonly string[], options: KagentLikeServerOptions = {}): Promise<KagentLikeServer> {
  const protocol = options.protocol ?? 'v0.3';
  const app = express();
  const received: ReceivedMessage[] = [];
  const requests: ReceivedRequest[] = [];
  const cardRequests: string[] = [];
  const toolCalls: ToolCall[] = [];
  const decisions: ReceivedDecision[] = [];
  const scripts: KagentScript[] = [];
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // For tests in other processes (the Python pipe tests); `/_received` keeps its original fields.
  app.get('/_received', (_req, res) => void res.json(received.map(({ version: _version, ...rest }) => rest)));
  app.get('/_requests', (_req, res) => void res.json(requests));
  app.get('/_tool_calls', (_req, res) => void res.json(toolCalls));
  app.get('/_decisions', (_req, res) => void res.json(decisions));
  for (const agent of agents) {
    const [namespace, name] = agent.split('/');
    const base = `/api/a2a/${namespace}/${name}`;
    const agentUrl = `${url}${base}/`;
    const script = new KagentScript(name, options.chunkDelayMs ?? 0, toolCalls, decisions);
    scripts.push(script);
    const v03 = jsonRpcV03({
      requestHandler: new HandlerV03(cardV03(namespace, name, agentUrl, '0.3.0'), new StoreV03(), new ExecutorV03Impl(script, name, received)),
      userBuilder: userFromHeader,
    });
    const v1 = jsonRpcV1({
      requestHandler: new HandlerV1(cardV1(namespace, name, agentUrl, ['1.0']), new StoreV1(), new ExecutorV1Impl(script, name, received)),
      userBuilder: userFromHeader,
    });
    app.get(`${base}/.well-known/:file`, (req, res) => {
      cardRequests.push(req.path);
      const file = req.params.file;
      if (protocol === 'v0.3' && file === 'agent.json') return void res.json(cardV03(namespace, name, agentUrl, '0.3.0'));
      if (protocol === 'negotiate' && file === 'agent-card.json') {
        // kagent 0.9.12's hybrid card: v0.3 fields plus supportedInterfaces for both versions.
        return void res.json({
          ...cardV03(namespace, name, agentUrl, '0.3'),
          supportedInterfaces: cardV1(namespace, name, agentUrl, ['0.3', '1.0']).supportedInterfaces,
        });
      }
      if (protocol === 'v1.0' && file === 'agent-card.json') return void res.json(cardV1(namespace, name, agentUrl, ['1.0']));
      res.status(404).type('text/plain').send('404 page not found');
    });
    app.post(base, express.json({ limit: '8mb' }), (req: Request, res: Response, next: NextFunction) => {
      const version = negotiate(req.header('a2a-version'), protocol);
      if (!version)
        return void res
          .status(400)
          .type('text/plain')
          .send(`unsupported A2A version "${req.header('a2a-version') ?? ''}"`);
      req.url = '/';
      const method = String((req.body as { method?: unknown } | undefined)?.method ?? '');
      requests.push({ agent: name, version, method });
      (version === '1.0' ? v1 : v03)(req, res, next);
    });
  }
  return {
    url,
    a2aBaseUrl: `${url}/api/a2a`,
    protocol,
    received,
    requests,
    cardRequests,
    toolCalls,
    decisions,
    close: () =>
      new Promise<void>((resolve) => {
        scripts.forEach((s) => s.release());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (require.main === module) {
  const port = Number(process.argv[2] ?? 0);
  const protocol = (process.argv[3] ?? 'v0.3') as KagentProtocol;
  startKagentLikeServer(['kagent/jairix', 'kagent/azure-devops'], { port, protocol }).then((s) => {
    process.stdout.write(`${s.url}\n`);
    process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
  });
}

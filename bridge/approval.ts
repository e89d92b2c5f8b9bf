import type { Part } from 'a2a-sdk-v1';

/**
 * Tool approval (kagent-adk 0.9.12 human-in-the-loop): a tool marked `requireApproval` pauses the task in
 * `input-required` with one long-running `adk_request_confirmation` function call per tool call; the client
 * continues the same task with a `{decision_type: "approve" | "reject", rejection_reason?}` data part. See
 * README-approval.md for where this comes from.
 */

/** The synthetic function call ADK emits to ask for a confirmation. */
export const CONFIRMATION_CALL = 'adk_request_confirmation';

/** A tool call the agent waits to have approved (the confirmation's `originalFunctionCall`). */
export interface PendingTool {
  readonly name: string;
  readonly args: unknown;
}

/** An approval the agent waits for: the task to continue, and the calls it would make. */
export interface ApprovalRequest {
  readonly taskId: string;
  readonly tools: readonly PendingTool[];
}

/** The user's answer, sent to kagent on the waiting task. */
export interface ApprovalDecision {
  readonly taskId: string;
  readonly approve: boolean;
  /** The user's own words when they answered neither yes nor no (kagent's `rejection_reason`). */
  readonly reason?: string;
}

/** kagent-core's `read_metadata_value`: the `adk_` key first, then the `kagent_` one. */
function metadataValue(metadata: Record<string, unknown> | undefined, key: string): unknown {
  return metadata?.[`adk_${key}`] ?? metadata?.[`kagent_${key}`];
}

/** True for a part holding an `adk_request_confirmation` call (shown to the user as a question, never as a tool). */
export function isConfirmationPart(part: Part): boolean {
  return part.content?.$case === 'data' && (part.content.value as { name?: unknown } | undefined)?.name === CONFIRMATION_CALL;
}

/** The tool calls a waiting message asks to approve (kagent-core's `extract_hitl_info_from_task`). */
export function pendingTools(parts: readonly Part[]): PendingTool[] {
  const tools: PendingTool[] = [];
  for (const part of parts) {
    if (!isConfirmationPart(part) || metadataValue(part.metadata, 'type') !== 'function_call' || metadataValue(part.metadata, 'is_long_running') !== true)
      continue;
    const call = (part.content?.value as { args?: { originalFunctionCall?: { name?: unknown; args?: unknown } } }).args?.originalFunctionCall;
    if (typeof call?.name === 'string') tools.push({ name: call.name, args: call.args ?? {} });
  }
  return tools;
}

const YES = new Set(['yes', 'y', 'approve', 'ok']);
const NO = new Set(['no', 'n', 'reject', 'deny']);

/** The reply to a pending approval: yes or no, and anything else a rejection with the reply as the reason. */
export function decide(request: ApprovalRequest, reply: string): ApprovalDecision {
  const word = reply
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '');
  if (YES.has(word)) return { taskId: request.taskId, approve: true };
  if (NO.has(word)) return { taskId: request.taskId, approve: false };
  return { taskId: request.taskId, approve: false, reason: reply.trim() };
}

/** The data part's content that carries the decision (kagent-core `_hitl_utils.py`). */
export function decisionData(decision: ApprovalDecision): Record<string, string> {
  if (decision.approve) return { decision_type: 'approve' };
  return decision.reason ? { decision_type: 'reject', rejection_reason: decision.reason } : { decision_type: 'reject' };
}

/** The text part next to the decision, as kagent's UI sends it (what its session history shows). */
export function decisionLabel(decision: ApprovalDecision): string {
  return decision.approve ? 'Approved' : 'Rejected';
}

/** Inline code that no backtick in `text` can end early. */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return longest === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

const toolNames = (tools: readonly PendingTool[]) => tools.map((t) => code(t.name)).join(' and ');

/** The question that ends a paused answer. */
export function approvalQuestion(tools: readonly PendingTool[]): string {
  const calls = tools.map((t) => `${code(t.name)} with ${code(JSON.stringify(t.args))}`).join(' and ');
  return `\n\nThe agent wants to run ${calls}. Reply **yes** to approve or **no** to reject.`;
}

/**
 * True when `previous`, the assistant message right before the user's newest one, holds the question asked for
 * `request`: only a reply to the question is the decision. Open WebUI's background tasks (titles, tags,
 * follow-ups, when no task model is set) carry the chat's id but only their own prompt, so they never answer it.
 */
export function repliesTo(previous: string | undefined, request: ApprovalRequest): boolean {
  return previous !== undefined && previous.includes(approvalQuestion(request.tools).trim());
}

/** The notice that ends the answer to a rejection: the call was not made. */
export function notRunNotice(tools: readonly PendingTool[], decision: ApprovalDecision): string {
  const why = decision.reason === undefined ? 'you rejected it' : 'your reply was not **yes**, so it went to the agent as the reason for rejecting it';
  return `\n\n${toolNames(tools)} was not run: ${why}.`;
}

/** The key of a conversation's pending approval: the agent, kagent's user, and the A2A context (kagent's session). */
export function approvalKey(agentId: string, userId: string, contextId: string): string {
  return `${agentId}\n${userId}\n${contextId}`;
}

/**
 * Approvals waiting for the user's reply, in memory: each is taken once (by the reply to its question), expires
 * after `ttlMs`, and the oldest goes when more than `max` wait.
 */
export class PendingApprovals {
  private readonly waiting = new Map<string, { readonly request: ApprovalRequest; readonly at: number }>();

  constructor(
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly max = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  public set(key: string, request: ApprovalRequest): void {
    this.waiting.delete(key);
    this.waiting.set(key, { request, at: this.now() });
    if (this.waiting.size > this.max) this.waiting.delete(this.waiting.keys().next().value!);
  }

  /** The approval waiting under `key` when `taken(request)` says so, removed; else undefined (an expired one is dropped). */
  public take(key: string, taken: (request: ApprovalRequest) => boolean): ApprovalRequest | undefined {
    const entry = this.waiting.get(key);
    if (!entry) return undefined;
    const expired = this.now() - entry.at > this.ttlMs;
    if (!expired && !taken(entry.request)) return undefined;
    this.waiting.delete(key);
    return expired ? undefined : entry.request;
  }

  public get size(): number {
    return this.waiting.size;
  }
}

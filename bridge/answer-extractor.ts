import { Role, TaskState, type Message, type Part } from 'a2a-sdk-v1';
import { isConfirmationPart, pendingTools, type ApprovalRequest } from './approval';
import { AgentRunError } from './errors';
import type { StreamEvent } from './a2a-stream';

/** What one A2A event contributes to the OpenAI answer. */
export interface AnswerDelta {
  /** Answer text to append. */
  readonly text?: string;
  /** A tool call or result, for the optional collapsed block. */
  readonly tool?: { readonly kind: 'call' | 'result'; readonly name: string; readonly data: unknown };
  /** The run paused for the user to approve these tool calls (the last delta of the run). */
  readonly approval?: ApprovalRequest;
}

/** How users and errors name the states that end a run (the v0.3 names, as kagent's UI shows them). */
const FAILED_STATES = new Map([
  [TaskState.TASK_STATE_FAILED, 'failed'],
  [TaskState.TASK_STATE_REJECTED, 'rejected'],
  [TaskState.TASK_STATE_CANCELED, 'canceled'],
]);
/** Human-in-the-loop states: the run pauses for the user (a tool approval is asked in the chat, anything else cannot be). */
const WAITING_STATES = new Map([
  [TaskState.TASK_STATE_INPUT_REQUIRED, 'input-required'],
  [TaskState.TASK_STATE_AUTH_REQUIRED, 'auth-required'],
]);

/** Terminal or interrupted: the logical end of a stream (v1.0 has no `final` flag; v0.3 sets it for exactly these). */
function endsRun(state: TaskState): boolean {
  return state === TaskState.TASK_STATE_COMPLETED || FAILED_STATES.has(state) || WAITING_STATES.has(state);
}

function textOf(parts: readonly Part[]): string {
  let text = '';
  for (const part of parts) if (part.content?.$case === 'text' && part.metadata?.kagent_thought !== true) text += part.content.value;
  return text;
}

function isPartial(metadata: Record<string, unknown> | undefined): boolean {
  return metadata?.kagent_adk_partial === true || metadata?.adk_partial === true;
}

/**
 * Turns kagent's event stream (either wire version) into exactly the agent's answer. kagent echoes the user's
 * message first, streams partial chunks (`kagent_adk_partial`) and then repeats the full text as one
 * non-partial event, and ends with an artifact holding the aggregate again; only the first copy of each text
 * reaches the client. Tool calls are data parts and never part of the answer.
 */
export class AnswerExtractor {
  /** Partial chunks arrived since the last full text (only a flag: the bridge never keeps the answer). */
  private streamedPartial = false;
  private emittedAny = false;
  private finished = false;

  /** True once the final event arrived. */
  public get done(): boolean {
    return this.finished;
  }

  /** Interprets one event; throws {@link AgentRunError} when the run ends failed. */
  public accept(event: StreamEvent): AnswerDelta[] {
    const payload = event.payload;
    switch (payload?.$case) {
      case 'message':
        this.finished = true;
        return payload.value.role === Role.ROLE_AGENT ? this.fromMessage(payload.value, false) : [];
      case 'statusUpdate': {
        const { status, metadata } = payload.value;
        const message = status?.message;
        const deltas = message && message.role === Role.ROLE_AGENT ? this.fromMessage(message, isPartial(metadata) || isPartial(message.metadata)) : [];
        const state = status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
        if (endsRun(state)) this.finish(state, message);
        const waiting = WAITING_STATES.get(state);
        const tools = state === TaskState.TASK_STATE_INPUT_REQUIRED && message ? pendingTools(message.parts) : [];
        if (tools.length > 0) deltas.push({ approval: { taskId: payload.value.taskId, tools } });
        else if (waiting) deltas.push({ text: `\n\n_The agent is waiting (${waiting}): approve or answer it in the kagent UI._` });
        return deltas;
      }
      case 'artifactUpdate':
        // The aggregate of what was already streamed; only used when nothing came before it.
        return this.emittedAny ? [] : this.text(textOf(payload.value.artifact?.parts ?? []), false);
      case 'task': {
        const state = payload.value.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;
        if (state === TaskState.TASK_STATE_COMPLETED || FAILED_STATES.has(state)) this.finish(state, payload.value.status?.message);
        return [];
      }
      default:
        return [];
    }
  }

  private fromMessage(message: Message, partial: boolean): AnswerDelta[] {
    const deltas: AnswerDelta[] = [];
    for (const part of message.parts) {
      // A confirmation request is not a tool the agent ran: it becomes the question at the end.
      if (part.content?.$case !== 'data' || isConfirmationPart(part)) continue;
      const type = part.metadata?.kagent_type ?? part.metadata?.adk_type;
      const data = part.content.value as { name?: string };
      if (type === 'function_call') deltas.push({ tool: { kind: 'call', name: String(data?.name), data } });
      if (type === 'function_response') deltas.push({ tool: { kind: 'result', name: String(data?.name), data } });
    }
    return [...deltas, ...this.text(textOf(message.parts), partial)];
  }

  private text(text: string, partial: boolean): AnswerDelta[] {
    if (!text) return [];
    if (partial) {
      this.streamedPartial = true;
      this.emittedAny = true;
      return [{ text }];
    }
    // The full-text repeat of chunks already streamed.
    if (this.streamedPartial) {
      this.streamedPartial = false;
      return [];
    }
    this.emittedAny = true;
    return [{ text }];
  }

  private finish(state: TaskState, message: Message | undefined): void {
    this.finished = true;
    const failed = FAILED_STATES.get(state);
    if (failed) {
      const reason = message ? textOf(message.parts) : '';
      throw new AgentRunError(`agent run ${failed}${reason ? `: ${reason}` : ''}`);
    }
  }
}

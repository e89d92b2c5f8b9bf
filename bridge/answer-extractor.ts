import type { Message, Part } from '@a2a-js/sdk';
import { AgentRunError } from './errors';
import type { StreamEvent } from './a2a-stream';

/** What one A2A event contributes to the OpenAI answer. */
export interface AnswerDelta {
  /** Answer text to append. */
  readonly text?: string;
  /** A tool call or result, for the optional collapsed block. */
  readonly tool?: { readonly kind: 'call' | 'result'; readonly name: string; readonly data: unknown };
}

const FAILED_STATES = new Set(['failed', 'rejected', 'canceled']);
/** Human-in-the-loop states: the run pauses for an approval the bridge cannot give. */
const WAITING_STATES = new Set(['input-required', 'auth-required']);

function textOf(parts: readonly Part[]): string {
  return parts
    .filter((p): p is Extract<Part, { kind: 'text' }> => p.kind === 'text' && p.metadata?.kagent_thought !== true)
    .map((p) => p.text)
    .join('');
}

function isPartial(metadata: Record<string, unknown> | undefined): boolean {
  return metadata?.kagent_adk_partial === true || metadata?.adk_partial === true;
}

/**
 * Turns kagent's event stream into exactly the agent's answer. kagent echoes the user's message first,
 * streams partial chunks (`kagent_adk_partial`) and then repeats the full text as one non-partial event, and
 * ends with an artifact holding the aggregate again; only the first copy of each text reaches the client.
 * Tool calls are data parts and never part of the answer.
 */
export class AnswerExtractor {
  private streamedSinceFull = '';
  private emittedAny = false;
  private finished = false;

  /** True once the final event arrived. */
  public get done(): boolean {
    return this.finished;
  }

  /** Interprets one event; throws {@link AgentRunError} when the run ends failed. */
  public accept(event: StreamEvent): AnswerDelta[] {
    switch (event.kind) {
      case 'message':
        this.finished = true;
        return event.role === 'agent' ? this.fromMessage(event, false) : [];
      case 'status-update': {
        const deltas = event.status.message && event.status.message.role === 'agent'
          ? this.fromMessage(event.status.message, isPartial(event.metadata) || isPartial(event.status.message.metadata))
          : [];
        if (event.final) this.finish(event.status.state, event.status.message);
        if (event.final && WAITING_STATES.has(event.status.state)) {
          deltas.push({ text: `\n\n_The agent is waiting (${event.status.state}): approve or answer it in the kagent UI._` });
        }
        return deltas;
      }
      case 'artifact-update':
        // The aggregate of what was already streamed; only used when nothing came before it.
        return this.emittedAny ? [] : this.text(textOf(event.artifact.parts), false);
      case 'task':
        if (['completed', ...FAILED_STATES].includes(event.status.state)) this.finish(event.status.state, event.status.message);
        return [];
      default:
        return [];
    }
  }

  private fromMessage(message: Message, partial: boolean): AnswerDelta[] {
    const deltas: AnswerDelta[] = [];
    for (const part of message.parts) {
      if (part.kind !== 'data') continue;
      const type = part.metadata?.kagent_type ?? part.metadata?.adk_type;
      const data = part.data as { name?: string };
      if (type === 'function_call') deltas.push({ tool: { kind: 'call', name: String(data.name), data: part.data } });
      if (type === 'function_response') deltas.push({ tool: { kind: 'result', name: String(data.name), data: part.data } });
    }
    return [...deltas, ...this.text(textOf(message.parts), partial)];
  }

  private text(text: string, partial: boolean): AnswerDelta[] {
    if (!text) return [];
    if (partial) {
      this.streamedSinceFull += text;
      this.emittedAny = true;
      return [{ text }];
    }
    // The full-text repeat of chunks already streamed.
    if (this.streamedSinceFull) {
      this.streamedSinceFull = '';
      return [];
    }
    this.emittedAny = true;
    return [{ text }];
  }

  private finish(state: string, message: Message | undefined): void {
    this.finished = true;
    if (FAILED_STATES.has(state)) {
      const reason = message ? textOf(message.parts) : '';
      throw new AgentRunError(`agent run ${state}${reason ? `: ${reason}` : ''}`);
    }
  }
}

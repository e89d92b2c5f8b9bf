import { randomUUID } from 'node:crypto';

/** Builds OpenAI `chat.completion(.chunk)` objects for one response. */
export class CompletionFormatter {
  private readonly id = `chatcmpl-${randomUUID()}`;
  private readonly created = Math.floor(Date.now() / 1000);
  /** Every chunk's JSON up to its delta: the same for the whole response, so a chunk only serializes its delta. */
  private readonly chunkHead: string;

  constructor(private readonly model: string) {
    this.chunkHead = `{"id":${JSON.stringify(this.id)},"object":"chat.completion.chunk","created":${this.created},"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
  }

  /** One `chat.completion.chunk`, as JSON. */
  public chunk(delta: { role?: 'assistant'; content?: string }, finishReason: 'stop' | null = null): string {
    return `${this.chunkHead}${JSON.stringify(delta)},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]}`;
  }

  public completion(content: string): object {
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    };
  }
}

/** An OpenAI-style error body. */
export function errorBody(message: string, type: string, code: string | null = null): object {
  return { error: { message, type, param: null, code } };
}

/** Renders a tool call as a collapsed Markdown block (Open WebUI renders `<details>`). */
export function toolBlock(tool: { kind: 'call' | 'result'; name: string; data: unknown }): string {
  const title = tool.kind === 'call' ? `Tool call: ${tool.name}` : `Tool result: ${tool.name}`;
  return `\n<details>\n<summary>${title}</summary>\n\n\`\`\`json\n${JSON.stringify(tool.data, null, 2)}\n\`\`\`\n</details>\n`;
}

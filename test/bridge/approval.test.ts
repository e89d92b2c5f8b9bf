/**
 * Tool approval through the bridge: a write tool marked `requireApproval` pauses kagent's task in `input-required`
 * (kagent-adk 0.9.12's wire format, played by the stand-in); the answer asks the user, and the user's next message
 * is the decision the bridge sends on that task. The stand-in fails any decision of the wrong shape.
 */
import { randomUUID } from 'node:crypto';
import { createParser } from 'eventsource-parser';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalKey, decide, PendingApprovals, repliesTo } from '../../bridge/approval';
import {
  FIRST_WORK_ITEM_ID,
  WRITE_INTRO,
  WRITE_TOOL,
  approvedAnswer,
  expectedAnswer,
  rejectedAnswer,
  startKagentLikeServer,
  writeToolArgs,
  type KagentLikeServer,
  type KagentProtocol,
} from '../support/kagent-like-a2a-server';
import { collectStream, startHarness, type Harness } from '../support/bridge-harness';

const PROTOCOLS: readonly KagentProtocol[] = ['v0.3', 'negotiate', 'v1.0'];

/** The exact question the bridge ends a paused answer with, for `WRITE <title>`. */
const question = (title: string) =>
  `${WRITE_INTRO}\n\nThe agent wants to run \`${WRITE_TOOL}\` with \`${JSON.stringify(writeToolArgs(title))}\`. Reply **yes** to approve or **no** to reject.`;
const REJECTED = `\n\n\`${WRITE_TOOL}\` was not run: you rejected it.`;
const REJECTED_WITH_REASON = `\n\n\`${WRITE_TOOL}\` was not run: your reply was not **yes**, so it went to the agent as the reason for rejecting it.`;

type Turn = { role: 'user' | 'assistant'; content: string };

describe.each(PROTOCOLS)('tool approval against a %s kagent-like server', (protocol) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { protocol });
  });
  afterAll(() => h.close());

  const user = (chatId: string, email = 'alice@lab.example') =>
    h.withHeaders({ 'X-OpenWebUI-Chat-Id': chatId, 'X-OpenWebUI-User-Email': email, 'X-OpenWebUI-User-Role': 'user' });
  /** One turn of a conversation (Open WebUI sends the whole history each time), streamed or not. */
  const turn = async (client: OpenAI, history: Turn[], content: string, stream: boolean): Promise<string> => {
    const messages = [...history, { role: 'user' as const, content }];
    if (stream) {
      const { text, finishReasons } = await collectStream(await client.chat.completions.create({ model: 'azure-devops', messages, stream: true }));
      expect(finishReasons).toEqual(['stop']);
      return text;
    }
    const completion = await client.chat.completions.create({ model: 'azure-devops', messages });
    expect(completion.choices[0].finish_reason).toBe('stop');
    return completion.choices[0].message.content ?? '';
  };
  /** Asks for `WRITE <title>` and checks the question; returns the history a reply to it is sent with. */
  const pause = async (client: OpenAI, title: string, stream = true): Promise<Turn[]> => {
    const asked = await turn(client, [], `WRITE ${title}`, stream);
    expect(asked).toBe(question(title));
    return [
      { role: 'user', content: `WRITE ${title}` },
      { role: 'assistant', content: asked },
    ];
  };

  describe.each([true, false])('stream: %s', (stream) => {
    it('asks before the write, and "yes" runs the tool once and completes with its result', async () => {
      const chat = `approve-${stream}`;
      const title = `Login met SSO ${stream}`;
      const calls = h.upstream.toolCalls.length;
      const asked = await turn(user(chat), [], `WRITE ${title}`, stream);
      expect(asked).toBe(question(title));
      expect(h.upstream.toolCalls.length).toBe(calls);

      const answer = await turn(
        user(chat),
        [
          { role: 'user', content: `WRITE ${title}` },
          { role: 'assistant', content: asked },
        ],
        ' Yes ',
        stream,
      );
      expect(answer).toBe(approvedAnswer(FIRST_WORK_ITEM_ID + calls, title));
      expect(h.upstream.toolCalls.slice(calls)).toEqual([
        { agent: 'azure-devops', name: WRITE_TOOL, args: writeToolArgs(title), contextId: `openwebui-${chat}`, userId: 'alice@lab.example' },
      ]);
      expect(h.upstream.decisions.at(-1)).toMatchObject({ agent: 'azure-devops', contextId: `openwebui-${chat}`, decision: 'approve' });
      expect(h.upstream.decisions.at(-1)).not.toHaveProperty('reason');
    });

    it('"no" ends with the notice that the call was not made, and the tool never runs', async () => {
      const chat = `reject-${stream}`;
      const calls = h.upstream.toolCalls.length;
      const answer = await turn(user(chat), await pause(user(chat), 'Delete me', stream), 'NO', stream);
      expect(answer).toBe(`${rejectedAnswer()}${REJECTED}`);
      expect(h.upstream.toolCalls.length).toBe(calls);
      expect(h.upstream.decisions.at(-1)).toEqual({ agent: 'azure-devops', taskId: expect.any(String), contextId: `openwebui-${chat}`, decision: 'reject' });
    });
  });

  it.each(['y', 'approve', 'OK', 'ok.'])('accepts "%s" as yes', async (reply) => {
    const chat = `yes-word-${reply}`;
    const calls = h.upstream.toolCalls.length;
    expect(await turn(user(chat), await pause(user(chat), 'Word'), reply, true)).toBe(approvedAnswer(FIRST_WORK_ITEM_ID + calls, 'Word'));
  });

  it.each(['n', 'reject', 'Deny', ' no! '])('accepts "%s" as no', async (reply) => {
    const chat = `no-word-${reply}`;
    const calls = h.upstream.toolCalls.length;
    expect(await turn(user(chat), await pause(user(chat), 'Word'), reply, true)).toBe(`${rejectedAnswer()}${REJECTED}`);
    expect(h.upstream.toolCalls.length).toBe(calls);
  });

  it('any other reply rejects the call and goes to the agent as the reason', async () => {
    const chat = 'other-reply';
    const calls = h.upstream.toolCalls.length;
    const reason = 'use the title "SSO login" instead';
    expect(await turn(user(chat), await pause(user(chat), 'Wrong title', false), reason, false)).toBe(`${rejectedAnswer(reason)}${REJECTED_WITH_REASON}`);
    expect(h.upstream.toolCalls.length).toBe(calls);
    expect(h.upstream.decisions.at(-1)).toEqual({
      agent: 'azure-devops',
      taskId: expect.any(String),
      contextId: 'openwebui-other-reply',
      decision: 'reject',
      reason,
    });
  });

  it('a decision is taken once: the next message is an ordinary one again', async () => {
    const chat = 'after-decision';
    const history = await pause(user(chat), 'Once');
    await turn(user(chat), history, 'no', true);
    expect(await turn(user(chat), history, 'yes', true)).toBe(expectedAnswer('azure-devops', 'yes', 'openwebui-after-decision'));
  });

  it('is kept per user: another user in the same chat is not answering the approval', async () => {
    const chat = 'shared-approval';
    const calls = h.upstream.toolCalls.length;
    const history = await pause(user(chat, 'alice@lab.example'), 'Alice only');
    expect(await turn(user(chat, 'bob@lab.example'), [], 'yes', true)).toBe(expectedAnswer('azure-devops', 'yes', `openwebui-${chat}`));
    expect(h.upstream.toolCalls.length).toBe(calls);
    expect(await turn(user(chat, 'alice@lab.example'), history, 'yes', true)).toBe(approvedAnswer(FIRST_WORK_ITEM_ID + calls, 'Alice only'));
    expect(h.upstream.toolCalls.slice(calls).map((c) => c.userId)).toEqual(['alice@lab.example']);
  });

  it('takes only a reply to the question: an Open WebUI background task in the same chat leaves the approval waiting', async () => {
    const chat = 'background-task';
    const calls = h.upstream.toolCalls.length;
    const history = await pause(user(chat), 'Title me');
    // Open WebUI's follow-up generation (no task model set): the chat's id, and only its own prompt as a user message.
    const prompt = '### Task:\nSuggest 3-5 relevant follow-up questions ...\n<chat_history>\nUSER: WRITE Title me\n</chat_history>';
    const error = await turn(user(chat), [], prompt, false).then(
      () => undefined,
      (e: unknown) => e,
    );
    // The stand-in, like kagent with a confirmation open, does not run another message in that session.
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    expect(h.upstream.decisions.filter((d) => d.contextId === `openwebui-${chat}`)).toEqual([]);
    expect(await turn(user(chat), history, 'yes', true)).toBe(approvedAnswer(FIRST_WORK_ITEM_ID + calls, 'Title me'));
  });

  it("sends the decision on the paused task: a data part with decision_type and kagent UI's text part", async () => {
    const chat = 'wire-shape';
    const before = h.upstream.received.length;
    await turn(user(chat), await pause(user(chat), 'Shape'), 'yes', true);
    const [, decision] = h.upstream.received.slice(before);
    expect(h.upstream.received.length).toBe(before + 2);
    expect(decision).toMatchObject({ agent: 'azure-devops', contextId: `openwebui-${chat}`, text: 'Approved', partCount: 2, userId: 'alice@lab.example' });
    expect(h.upstream.decisions.at(-1)!.taskId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs that an approval was asked and answered, never the tool arguments or the reply', async () => {
    const chat = 'log-check';
    const before = h.logs.length;
    await turn(user(chat), await pause(user(chat), 'Secret project 7f3a'), 'because of the audit 9c2e', true);
    const records = h.logs.slice(before).filter((r) => r.msg === 'request');
    expect(records.map((r) => r.approval)).toEqual(['requested', 'rejected']);
    const logged = JSON.stringify(h.logs.slice(before));
    expect(logged).not.toContain('7f3a');
    expect(logged).not.toContain('9c2e');
  });
});

describe('with SHOW_TOOL_CALLS', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ showToolCalls: true });
  });
  afterAll(() => h.close());

  it('shows the write tool call as a block but never the synthetic confirmation call', async () => {
    const stream = await h
      .withChatId('shown')
      .chat.completions.create({ model: 'azure-devops', messages: [{ role: 'user', content: 'WRITE Shown' }], stream: true });
    const { text } = await collectStream(stream);
    expect(text).toContain(`<summary>Tool call: ${WRITE_TOOL}</summary>`);
    expect(text).not.toContain('adk_request_confirmation');
    expect(text.endsWith('Reply **yes** to approve or **no** to reject.')).toBe(true);
  });
});

/** The stand-in itself: a decision of the wrong shape ends the task `failed`, so a bridge that sends one fails its tests. */
describe.each(['0.3', '1.0'] as const)('the kagent-like server checks the decision strictly (A2A %s)', (version) => {
  let upstream: KagentLikeServer;
  beforeAll(async () => {
    upstream = await startKagentLikeServer(['kagent/azure-devops'], { protocol: 'negotiate' });
  });
  afterAll(() => upstream.close());

  const url = () => `${upstream.a2aBaseUrl}/kagent/azure-devops/`;
  /** Sends one message and returns the final status: state, the text of its message, and the task id. */
  const send = async (parts: unknown[], contextId: string, taskId?: string): Promise<{ state: string; text: string; taskId: string }> => {
    const message =
      version === '1.0'
        ? { messageId: randomUUID(), role: 'ROLE_USER', contextId, ...(taskId && { taskId }), parts }
        : { kind: 'message', messageId: randomUUID(), role: 'user', contextId, ...(taskId && { taskId }), parts };
    const res = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'a2a-version': version, 'x-user-id': 'alice@lab.example' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: version === '1.0' ? 'SendStreamingMessage' : 'message/stream', params: { message } }),
    });
    const events: any[] = [];
    const parser = createParser({ onEvent: (e) => events.push(JSON.parse(e.data).result) });
    parser.feed(await res.text());
    const last = events.at(-1);
    const update = version === '1.0' ? last.statusUpdate : last;
    const textOf = (ps: any[] = []) => ps.map((p) => p.text ?? '').join('');
    return { state: update.status.state, text: textOf(update.status.message?.parts), taskId: update.taskId };
  };
  const text = (value: string) => (version === '1.0' ? { text: value } : { kind: 'text', text: value });
  const data = (value: unknown, metadata?: object) =>
    version === '1.0' ? { data: value, ...(metadata && { metadata }) } : { kind: 'data', data: value, ...(metadata && { metadata }) };
  const [PAUSED, FAILED, COMPLETED] =
    version === '1.0' ? ['TASK_STATE_INPUT_REQUIRED', 'TASK_STATE_FAILED', 'TASK_STATE_COMPLETED'] : ['input-required', 'failed', 'completed'];
  /** A fresh paused task. */
  const pause = async (contextId: string) => {
    const paused = await send([text('WRITE Strict')], contextId);
    expect(paused.state).toBe(PAUSED);
    return paused.taskId;
  };

  it.each([
    ['"yes" as text', () => [text('yes')], 'expected exactly one data part holding decision_type, got 0'],
    ['an unknown decision', () => [data({ decision_type: 'allow' })], 'decision_type must be "approve" or "reject", got "allow"'],
    ['an extra key', () => [data({ decision_type: 'approve', approved: true })], 'unknown decision keys: approved'],
    [
      'a reason on an approve',
      () => [data({ decision_type: 'approve', rejection_reason: 'x' })],
      'rejection_reason must be a non-empty string, and only on a reject',
    ],
    [
      'a function_response part',
      () => [data({ decision_type: 'approve' }, { kagent_type: 'function_response' })],
      'the decision data part must not carry kagent_type metadata',
    ],
    [
      'two data parts',
      () => [data({ decision_type: 'approve' }), data({ decision_type: 'reject' })],
      'expected exactly one data part holding decision_type, got 2',
    ],
  ])('fails %s on the paused task', async (_name, parts, why) => {
    const contextId = `strict-${randomUUID()}`;
    const taskId = await pause(contextId);
    expect(await send(parts(), contextId, taskId)).toEqual({ state: FAILED, text: `invalid HITL decision: ${why}`, taskId });
    expect(upstream.toolCalls).toEqual([]);
  });

  it('fails a decision without the task id, and still takes the right one afterwards', async () => {
    const contextId = `strict-${randomUUID()}`;
    const taskId = await pause(contextId);
    const wrong = await send([data({ decision_type: 'approve' })], contextId);
    expect(wrong.state).toBe(FAILED);
    expect(wrong.text).toBe(`invalid HITL decision: a tool approval is pending on task ${taskId}: send the decision on that task (taskId)`);
    const right = await send([data({ decision_type: 'approve' }), text('Approved')], contextId, taskId);
    expect(right).toEqual({ state: COMPLETED, text: '', taskId });
    expect(upstream.toolCalls.map((c) => c.contextId)).toEqual([contextId]);
  });
});

describe('PendingApprovals and decide', () => {
  const request = { taskId: 't-1', tools: [{ name: WRITE_TOOL, args: {} }] };

  it('takes an approval once, forgets it after the time to live, and drops the oldest beyond the limit', () => {
    let now = 0;
    const approvals = new PendingApprovals(1_000, 2, () => now);
    const any = () => true;
    approvals.set('a', request);
    expect(approvals.take('a', any)).toEqual(request);
    expect(approvals.take('a', any)).toBeUndefined();
    approvals.set('b', request);
    now = 1_001;
    expect([approvals.take('b', any), approvals.size]).toEqual([undefined, 0]);
    approvals.set('c', request);
    approvals.set('d', request);
    approvals.set('e', request);
    expect([approvals.size, approvals.take('c', any), approvals.take('e', any)]).toEqual([2, undefined, request]);
  });

  it('takes a reply only from a user who answers the question', () => {
    const approvals = new PendingApprovals();
    approvals.set('k', request);
    expect(approvals.take('k', () => false)).toBeUndefined();
    expect(approvals.take('k', () => true)).toEqual(request);
    const asked = `I will.\n\nThe agent wants to run \`${WRITE_TOOL}\` with \`{}\`. Reply **yes** to approve or **no** to reject.`;
    expect([repliesTo(asked, request), repliesTo(`${asked}\n`, request), repliesTo('Something else.', request), repliesTo(undefined, request)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('reads yes and no words in any case, and anything else as a rejection with the reply as the reason', () => {
    expect(decide(request, '  YES ')).toEqual({ taskId: 't-1', approve: true });
    expect(decide(request, 'deny.')).toEqual({ taskId: 't-1', approve: false });
    expect(decide(request, ' not now, the sprint is closed ')).toEqual({ taskId: 't-1', approve: false, reason: 'not now, the sprint is closed' });
    expect(decide(request, 'yes please')).toEqual({ taskId: 't-1', approve: false, reason: 'yes please' });
  });

  it('keys a pending approval by agent, user and context', () => {
    expect(approvalKey('azure-devops', 'alice@lab.example', 'openwebui-c1')).not.toBe(approvalKey('azure-devops', 'bob@lab.example', 'openwebui-c1'));
    expect(approvalKey('jairix', 'alice@lab.example', 'openwebui-c1')).not.toBe(approvalKey('azure-devops', 'alice@lab.example', 'openwebui-c1'));
  });
});

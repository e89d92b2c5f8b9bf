/** Bridge measurements: added time-to-first-token, 200 concurrent exact streams, memory per open stream. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { bridgeBundle } from '../src/chat/bridge-bundle';
import { expectedAnswer, startKagentLikeServer } from '../test/support/kagent-like-a2a-server';
import { summarize, type Summary } from './stats';

const AGENTS = ['kagent/jairix', 'kagent/azure-devops'];

export interface BridgeResults {
  readonly directTtft: Summary;
  readonly bridgeTtft: Summary;
  readonly addedTtftMedianMs: number;
  readonly concurrent: { readonly streams: number; readonly errors: number; readonly wrong: number; readonly ms: number };
  readonly kbPerOpenStream: number;
}

async function startBridge(a2aBaseUrl: string, port: number): Promise<ChildProcess> {
  const file = join(mkdtempSync(join(tmpdir(), 'bridge-bench-')), 'bridge.cjs');
  writeFileSync(file, bridgeBundle());
  const child = spawn(process.execPath, [file], { env: { ...process.env, A2A_BASE_URL: a2aBaseUrl, AGENTS: AGENTS.join(','), PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return child;
}

/** Time from sending the request to the first byte of answer text. */
async function firstToken(url: string, body: unknown, isToken: (data: string) => boolean): Promise<number> {
  const start = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify(body) });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let elapsed = -1;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    if (elapsed < 0 && buffer.split('\n').some((line) => line.startsWith('data:') && isToken(line.slice(5)))) elapsed = performance.now() - start;
  }
  if (elapsed < 0) throw new Error(`no token from ${url}`);
  return elapsed;
}

function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) : NaN;
}

export async function benchBridge(rounds: number): Promise<BridgeResults> {
  const upstream = await startKagentLikeServer(AGENTS);
  const slowUpstream = await startKagentLikeServer(AGENTS, { chunkDelayMs: 40 });
  const bridge = await startBridge(upstream.a2aBaseUrl, 18181);
  const slowBridge = await startBridge(slowUpstream.a2aBaseUrl, 18182);
  try {
    const direct: number[] = [];
    const viaBridge: number[] = [];
    const a2aBody = (text: string) => ({ jsonrpc: '2.0', id: 1, method: 'message/stream', params: { message: { kind: 'message', messageId: crypto.randomUUID(), role: 'user', parts: [{ kind: 'text', text }], contextId: `bench-${text}` } } });
    const chatBody = (text: string) => ({ model: 'jairix', stream: true, messages: [{ role: 'user', content: text }] });
    const isAgentText = (data: string) => data.includes('"kagent_adk_partial":true');
    const isContent = (data: string) => /"content":"[^"]/.test(data);
    for (let i = 0; i < rounds + 10; i++) {
      const d = await firstToken(`${upstream.a2aBaseUrl}/kagent/jairix/`, a2aBody(`d${i}`), isAgentText);
      const b = await firstToken('http://127.0.0.1:18181/v1/chat/completions', chatBody(`b${i}`), isContent);
      if (i >= 10) {
        direct.push(d);
        viaBridge.push(b);
      }
    }
    const client = new OpenAI({ baseURL: 'http://127.0.0.1:18182/v1', apiKey: 'unused', maxRetries: 0 });
    const baseline = rssKb(slowBridge.pid!);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssKb(slowBridge.pid!))), 20);
    const start = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, async (_, i) => {
        const stream = await client.chat.completions.create({ model: i % 2 ? 'azure-devops' : 'jairix', stream: true, messages: [{ role: 'user', content: `concurrent ${i}` }] }, { headers: { 'X-OpenWebUI-Chat-Id': `bench-${i}` } });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        return text === expectedAnswer(i % 2 ? 'azure-devops' : 'jairix', `concurrent ${i}`, `openwebui-bench-${i}`);
      }),
    );
    const ms = performance.now() - start;
    clearInterval(sampler);
    const errors = outcomes.filter((o) => o.status === 'rejected').length;
    const wrong = outcomes.filter((o) => o.status === 'fulfilled' && !o.value).length;
    const directTtft = summarize(direct);
    const bridgeTtft = summarize(viaBridge);
    return {
      directTtft, bridgeTtft, addedTtftMedianMs: bridgeTtft.median - directTtft.median,
      concurrent: { streams: 200, errors, wrong, ms }, kbPerOpenStream: (peak - baseline) / 200,
    };
  } finally {
    bridge.kill();
    slowBridge.kill();
    await upstream.close();
    await slowUpstream.close();
  }
}

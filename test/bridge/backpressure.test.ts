import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigAnswer } from '../support/kagent-like-a2a-server';
import { AUTHORIZATION, startHarness, type Harness } from '../support/bridge-harness';

const ANSWER_BYTES = 4 * 1024 * 1024;
/** What the bridge may hold for one slow client: the socket's high-water mark plus one chunk, with room to spare. */
const BOUND = 256 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['v0.3', 'v1.0'] as const)('a client that reads slowly (%s upstream)', (protocol) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { protocol });
  });
  afterAll(() => h.close());

  it('makes the bridge stop reading upstream instead of buffering the answer, and still gets all of it', async () => {
    let bridgeRes: ServerResponse | undefined;
    // Watches the bridge's real response: a write while its buffer is over the high-water mark means the
    // bridge ignored `write() === false` and kept pulling from upstream.
    let writesWhileFull = 0;
    let writes = 0;
    let most = 0;
    const capture = (req: IncomingMessage, res: ServerResponse) => {
      if (req.url !== '/v1/chat/completions') return;
      bridgeRes = res;
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        writes++;
        if (res.writableNeedDrain) writesWhileFull++;
        const ok = write(chunk);
        most = Math.max(most, res.writableLength);
        return ok;
      }) as typeof res.write;
    };
    h.bridge.server.on('request', capture);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(`${h.bridgeUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...AUTHORIZATION } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'jairix', stream: true, messages: [{ role: 'user', content: `BIG ${ANSWER_BYTES}` }] }));
    });
    h.bridge.server.off('request', capture);
    response.pause();
    try {
      // Wait until the bridge has hit back-pressure (its writes to the paused client returned false)...
      for (let i = 0; i < 500 && !bridgeRes?.writableNeedDrain; i++) await sleep(10);
      expect(bridgeRes?.writableNeedDrain).toBe(true);
      // ...then watch it while the upstream could deliver the whole answer many times over.
      const writesAtPressure = writes;
      await sleep(500);
      expect(writesWhileFull).toBe(0);
      // Paused: nothing more was pulled from upstream while the client did not read.
      expect(writes).toBe(writesAtPressure);
      expect(most).toBeLessThan(BOUND);
      expect(bridgeRes!.writableFinished).toBe(false);
    } finally {
      response.resume();
    }
    response.setEncoding('utf8');
    let body = '';
    for await (const chunk of response) body += chunk;
    const text = body
      .split('\n\n')
      .filter((e) => e.startsWith('data: {'))
      .map((e) => (JSON.parse(e.slice(6)) as { choices: Array<{ delta: { content?: string } }> }).choices[0]?.delta.content ?? '')
      .join('');
    expect(text.length).toBe(ANSWER_BYTES);
    expect(text === bigAnswer(ANSWER_BYTES)).toBe(true);
    expect(writesWhileFull).toBe(0);
    expect(most).toBeLessThan(BOUND);
  });
});

/**
 * Stand-in for the kagent controller's HTTP server (the Go controller cannot be built here), with exactly the two
 * jobs a kagent-adk agent and the bridge need from it:
 *
 * 1. The session and task API that `kagent-adk static` calls at `KAGENT_URL` (it has no in-memory option: only
 *    `kagent-adk run --local` uses `InMemorySessionService`). The routes and envelopes are those of kagent
 *    v0.9.12 (`go/core/internal/httpserver/server.go`, `handlers/sessions.go`, `handlers/tasks.go`,
 *    `go/api/httpapi/types.go` `StandardResponse`), as read by kagent-adk's `KAgentSessionService`
 *    (`kagent/adk/_session_service.py`) and kagent-core's `KAgentTaskStore` (`kagent/core/a2a/_task_store.py`):
 *    - `POST /api/sessions?user_id=` {user_id, agent_ref, id?, name?, source?} → 201 {error, data: Session}
 *    - `GET /api/sessions/{id}?user_id=&order=asc&limit=` → {data: {session, events: [{id, data, …}]}}, 404 if none
 *    - `GET /api/sessions?user_id=`, `DELETE /api/sessions/{id}`
 *    - `POST /api/sessions/{id}/events?user_id=` {id, data} (data: the ADK Event as JSON)
 *    - `POST /api/tasks` (a v0.3 Task), `GET /api/tasks/{id}` → {data: Task}, 404 if none, `DELETE /api/tasks/{id}`
 *    Sessions are kept per user, as the controller keys them.
 * 2. The A2A proxy at `/api/a2a/<namespace>/<name>/…` (kagent's layout, which the bridge's `A2A_BASE_URL`
 *    expects), forwarding to the one agent, which serves A2A at `/`. Unlike the controller it does not translate
 *    wire versions: it passes v0.3 JSON-RPC through, and records every SSE event the agent sent.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ControllerStandIn {
  readonly url: string;
  readonly port: number;
  /** `A2A_BASE_URL` for the bridge. */
  readonly a2aBaseUrl: string;
  /** Each request to the session/task API, e.g. `POST /api/sessions/openwebui-1/events`. */
  readonly apiCalls: string[];
  /** The same requests with whom they were for: the `user_id` query parameter and the `X-User-Id` header. */
  readonly apiRequests: ApiRequest[];
  /** Each A2A exchange through the proxy: the JSON-RPC request and the `data:` payloads of its SSE answer. */
  readonly exchanges: A2aExchange[];
  /** Events stored per session (the ADK events, parsed). */
  sessionEvents(sessionId: string): unknown[];
  /** Every stored session: its id, its user and its events (the ADK events, parsed). */
  sessions(): { id: string; userId: string; events: unknown[] }[];
  close(): Promise<void>;
}

export interface A2aExchange {
  readonly request: unknown;
  /** The `x-user-id` header the request carried to the agent. */
  readonly userId?: string;
  readonly events: unknown[];
  status?: number;
}

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  /** The `user_id` query parameter. */
  readonly userIdParam?: string;
  /** The `X-User-Id` header. */
  readonly userIdHeader?: string;
}

interface StoredSession {
  readonly id: string;
  readonly user_id: string;
  readonly name?: string;
  readonly agent_id: string;
  readonly source?: string;
  readonly created_at: string;
  updated_at: string;
  readonly events: { id: string; session_id: string; user_id: string; data: string; created_at: string; updated_at: string }[];
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const ok = (data: unknown, message: string) => ({ error: false, data, message });
const fail = (message: string) => ({ error: true, message });

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the stand-in on 127.0.0.1; `agent` is the `namespace/name` it proxies to `agentUrl()` (known later). */
export async function startControllerStandIn(options: { readonly agent: string; readonly agentUrl: () => string | undefined }): Promise<ControllerStandIn> {
  const sessions = new Map<string, StoredSession>(); // key: user \n id
  const tasks = new Map<string, unknown>();
  const apiCalls: string[] = [];
  const apiRequests: ApiRequest[] = [];
  const exchanges: A2aExchange[] = [];
  const a2aPrefix = `/api/a2a/${options.agent}`;

  const api = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    apiCalls.push(`${method} ${url.pathname}`);
    apiRequests.push({
      method,
      path: url.pathname,
      userIdParam: url.searchParams.get('user_id') ?? undefined,
      userIdHeader: req.headers['x-user-id']?.toString(),
    });
    const now = new Date().toISOString();
    const parts = url.pathname.split('/').filter(Boolean); // api, sessions|tasks, id?, events?
    const userId = url.searchParams.get('user_id') ?? req.headers['x-user-id']?.toString() ?? 'admin@kagent.dev';
    if (parts[1] === 'sessions') {
      const key = (id: string) => `${userId}\n${id}`;
      if (parts.length === 2 && method === 'POST') {
        const input = JSON.parse(await body(req)) as { id?: string; name?: string; agent_ref?: string; source?: string };
        if (!input.agent_ref) return send(res, 400, fail('agent_ref is required'));
        const id = input.id || `ctx-${Math.random().toString(36).slice(2)}`;
        const session: StoredSession = {
          id,
          user_id: userId,
          name: input.name,
          agent_id: input.agent_ref,
          source: input.source,
          created_at: now,
          updated_at: now,
          events: [],
        };
        sessions.set(key(id), session);
        const { events: _events, ...shown } = session;
        return send(res, 201, ok(shown, 'Successfully created session'));
      }
      if (parts.length === 2 && method === 'GET') {
        const mine = [...sessions.values()].filter((s) => s.user_id === userId).map(({ events: _e, ...s }) => s);
        return send(res, 200, ok(mine, 'Successfully listed sessions'));
      }
      const session = sessions.get(key(decodeURIComponent(parts[2] ?? '')));
      if (parts.length === 3 && method === 'GET') {
        if (!session) return send(res, 404, fail('Session not found'));
        const limit = Number(url.searchParams.get('limit') ?? '0');
        let events = [...session.events];
        if (url.searchParams.get('order') !== 'asc') events.reverse();
        if (limit > 0) events = events.slice(0, limit);
        const { events: _e, ...shown } = session;
        return send(res, 200, ok({ session: shown, events }, 'Successfully retrieved session'));
      }
      if (parts.length === 3 && method === 'DELETE') {
        sessions.delete(key(parts[2]));
        return send(res, 200, ok(null, 'Successfully deleted session'));
      }
      if (parts.length === 4 && parts[3] === 'events' && method === 'POST') {
        if (!session) return send(res, 404, fail('Session not found'));
        const input = JSON.parse(await body(req)) as { id: string; data: string };
        const event = { id: input.id, session_id: session.id, user_id: userId, data: input.data, created_at: now, updated_at: now };
        session.events.push(event);
        session.updated_at = now;
        return send(res, 201, ok(event, 'Event added to session successfully'));
      }
    }
    if (parts[1] === 'tasks') {
      if (parts.length === 2 && method === 'POST') {
        const task = JSON.parse(await body(req)) as { id?: string };
        tasks.set(String(task.id), task);
        return send(res, 201, ok(task, 'Successfully created task'));
      }
      const id = decodeURIComponent(parts[2] ?? '');
      if (parts.length === 3 && method === 'GET') {
        return tasks.has(id) ? send(res, 200, ok(tasks.get(id), 'Successfully retrieved task')) : send(res, 404, fail('Task not found'));
      }
      if (parts.length === 3 && method === 'DELETE') {
        tasks.delete(id);
        return send(res, 200, ok(null, 'Successfully deleted task'));
      }
    }
    send(res, 404, fail(`the stand-in for the kagent controller has no route ${method} ${url.pathname}`));
  };

  const proxy = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const target = options.agentUrl();
    if (!target) return send(res, 503, fail('the agent is not running yet'));
    const rest = url.pathname.slice(a2aPrefix.length) || '/';
    const input = req.method === 'POST' ? await body(req) : undefined;
    const exchange: A2aExchange | undefined =
      input !== undefined
        ? {
            request: (() => {
              try {
                return JSON.parse(input);
              } catch {
                return input;
              }
            })(),
            userId: req.headers['x-user-id']?.toString(),
            events: [],
          }
        : undefined;
    if (exchange) exchanges.push(exchange);
    const headers = { ...req.headers };
    delete headers.host;
    if (input !== undefined) headers['content-length'] = String(Buffer.byteLength(input));
    const upstream = httpRequest(`${target}${rest}${url.search}`, { method: req.method, headers });
    upstream.on('response', (answer) => {
      if (exchange) exchange.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      let pending = '';
      answer.on('data', (chunk: Buffer) => {
        res.write(chunk);
        if (!exchange) return;
        pending += chunk.toString('utf8');
        const blocks = pending.split(/\r?\n\r?\n/);
        pending = blocks.pop() ?? '';
        for (const block of blocks) record(exchange, block);
      });
      answer.on('end', () => {
        if (exchange && pending.trim()) record(exchange, pending);
        res.end();
      });
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) send(res, 502, fail(`the agent did not answer: ${error.message}`));
      else res.destroy(error);
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(input);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const handle = url.pathname.startsWith(`${a2aPrefix}/`) || url.pathname === a2aPrefix ? proxy : url.pathname.startsWith('/api/') ? api : undefined;
    if (!handle) return send(res, 404, fail('not found'));
    handle(req, res, url).catch((error: Error) => {
      if (!res.headersSent) send(res, 500, fail(error.message));
      else res.destroy(error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    a2aBaseUrl: `${url}/api/a2a`,
    apiCalls,
    apiRequests,
    exchanges,
    sessionEvents: (sessionId) => [...sessions.values()].filter((s) => s.id === sessionId).flatMap((s) => s.events.map((e) => JSON.parse(e.data) as unknown)),
    sessions: () => [...sessions.values()].map((s) => ({ id: s.id, userId: s.user_id, events: s.events.map((e) => JSON.parse(e.data) as unknown) })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One SSE block: its `data:` lines joined, parsed as JSON when it is. */
function record(exchange: A2aExchange, block: string): void {
  const data = block
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''))
    .join('\n');
  if (!data) return;
  try {
    exchange.events.push(JSON.parse(data));
  } catch {
    exchange.events.push(data);
  }
}

import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One structured log record; written as one JSON line. Never carries message content. */
export type LogRecord = Record<string, string | number | boolean | null | undefined>;
/** Where log records go (stdout in production, an array in tests). */
export type LogSink = (record: LogRecord) => void;

/** Writes each record as one JSON line to stdout. */
export const stdoutLog: LogSink = (record) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
};

/** The bridge's Prometheus metrics, in a registry of their own (several bridges can share a process in tests). */
export class BridgeMetrics {
  public readonly registry = new Registry();
  public readonly requests = new Counter({
    name: 'a2a_bridge_requests_total',
    help: 'Chat completion requests by model, HTTP status (for a stream that failed after its headers: the status of the error) and caller (user: a forwarded signed-in user; service: none forwarded).',
    // `caller`, not the user id: one series per user would grow without bound.
    labelNames: ['model', 'status', 'caller'] as const,
    registers: [this.registry],
  });
  public readonly unauthorized = new Counter({
    name: 'a2a_bridge_unauthorized_requests_total',
    help: 'Requests refused with HTTP 401, by reason (missing_key, invalid_key).',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  public readonly duration = new Histogram({
    name: 'a2a_bridge_request_duration_seconds',
    help: 'Chat completion duration, from request to the last byte.',
    labelNames: ['model', 'stream'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 180, 300],
    registers: [this.registry],
  });
  public readonly ttft = new Histogram({
    name: 'a2a_bridge_time_to_first_token_seconds',
    help: 'Time from request to the first answer text received from the agent.',
    labelNames: ['model', 'stream'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  public readonly openStreams = new Gauge({ name: 'a2a_bridge_open_streams', help: 'Streaming responses in progress.', registers: [this.registry] });
  public readonly upstreamErrors = new Counter({
    name: 'a2a_bridge_upstream_errors_total',
    help: 'Errors talking to kagent, by agent and reason.',
    labelNames: ['agent', 'reason'] as const,
    registers: [this.registry],
  });
}

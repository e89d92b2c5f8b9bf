/** The upstream could not be reached or answered with an error (HTTP 502). */
export class UpstreamError extends Error {
  readonly status: number = 502;
  readonly type: string = 'upstream_error';
}

/** The upstream sent nothing for longer than the idle timeout (HTTP 504). */
export class UpstreamTimeoutError extends UpstreamError {
  override readonly status = 504;
  override readonly type = 'upstream_timeout';
}

/** The agent run ended in `failed`, `rejected` or `canceled` (HTTP 502). */
export class AgentRunError extends UpstreamError {
  override readonly type = 'agent_run_failed';
}

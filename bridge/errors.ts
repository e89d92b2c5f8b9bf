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

/**
 * The upstream stream ended before the run reached a final status (HTTP 504): kagent 0.9 cuts controller→agent
 * calls after 3 minutes and then just closes the stream, so the answer so far is incomplete.
 */
export class AgentRunCutOffError extends UpstreamError {
  override readonly status = 504;
  override readonly type = 'agent_run_cut_off';
}

/** The agent run ended in `failed`, `rejected` or `canceled` (HTTP 502). */
export class AgentRunError extends UpstreamError {
  override readonly type = 'agent_run_failed';
}

/** The message users see when a run was cut off; also the error message. */
export const CUT_OFF_MESSAGE =
  'The agent run was cut off before it finished (the A2A stream ended without a final status; kagent 0.9 ends ' +
  'agent calls after 3 minutes). The answer above is incomplete: ask again, or split the task into smaller steps.';

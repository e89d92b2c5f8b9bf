/** Go's `time.ParseDuration` syntax, unsigned: what kagent's RemoteMCPServer timeouts are decoded with. */
const GO_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
/** Ollama's `OLLAMA_KEEP_ALIVE`: a signed Go duration, or whole seconds (`-1` keeps a model loaded forever). */
const KEEP_ALIVE = /^-?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$|^-?\d+$/;
/** A whole number of seconds, minutes or hours: kagent's streaming timeout, which also becomes nginx's timeouts in seconds. */
const WHOLE_DURATION = /^(\d+)(s|m|h)$/;

/** True if Go's `time.ParseDuration` reads `value` as a non-negative duration ("30s", "5m0s", "1.5h"). */
export function isGoDuration(value: string): boolean {
  return GO_DURATION.test(value);
}

/** True if Ollama accepts `value` as its keep-alive ("30m", "1h", "-1", "0"). */
export function isKeepAlive(value: string): boolean {
  return KEEP_ALIVE.test(value);
}

/** The seconds of a whole-unit duration ("600s", "10m", "1h"); undefined for anything else. */
export function wholeDurationSeconds(value: string): number | undefined {
  const match = WHOLE_DURATION.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * (match[2] === 'h' ? 3600 : match[2] === 'm' ? 60 : 1);
}

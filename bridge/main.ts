import { collectDefaultMetrics } from 'prom-client';
import { BridgeConfigError, configFromEnv, type BridgeConfig } from './config';
import { stdoutLog } from './observability';
import { Bridge } from './server';

/** The configuration, or nothing after printing each bad setting on its own line (a stack trace would bury them). */
function settings(): BridgeConfig | undefined {
  try {
    return configFromEnv();
  } catch (error) {
    if (!(error instanceof BridgeConfigError)) throw error;
    for (const problem of error.problems) process.stderr.write(`a2a-bridge: ${problem}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

/** Runs the bridge with the environment's configuration (`npm run bridge`, or the container). */
function main(): void {
  const config = settings();
  if (!config) return;
  const bridge = new Bridge(config);
  collectDefaultMetrics({ register: bridge.metrics.registry });
  bridge.server.listen(config.port, config.host, () => {
    stdoutLog({
      level: 'info',
      msg: 'listening',
      host: config.host,
      port: config.port,
      a2a_base_url: config.a2aBaseUrl,
      a2a_version: config.a2aVersion,
      // How many keys, never which: two during a rotation.
      api_keys: config.apiKeys.length,
      user_id_from: config.userIdFrom,
      service_user_id: config.serviceUserId,
      agents: config.agents.map((a) => (a.id === a.name ? `${a.namespace}/${a.name}` : `${a.id}=${a.namespace}/${a.name}`)).join(','),
      // Which agents have an allow-list, never who is on it.
      allow_listed: config.agents
        .filter((a) => a.allow)
        .map((a) => a.id)
        .join(','),
    });
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stdoutLog({ level: 'info', msg: 'shutting down', signal, grace_ms: config.shutdownGraceMs });
    void bridge.shutdown().then(() => {
      stdoutLog({ level: 'info', msg: 'stopped' });
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main();

import { collectDefaultMetrics } from 'prom-client';
import { configFromEnv } from './config';
import { stdoutLog } from './observability';
import { Bridge } from './server';

/** Runs the bridge with the environment's configuration (`npm run bridge`, or the container). */
function main(): void {
  const config = configFromEnv();
  const bridge = new Bridge(config);
  collectDefaultMetrics({ register: bridge.metrics.registry });
  bridge.server.listen(config.port, () => {
    stdoutLog({
      level: 'info', msg: 'listening', port: config.port, a2a_base_url: config.a2aBaseUrl, a2a_version: config.a2aVersion,
      agents: config.agents.map((a) => (a.id === a.name ? `${a.namespace}/${a.name}` : `${a.id}=${a.namespace}/${a.name}`)).join(','),
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

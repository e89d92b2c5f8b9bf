import { configFromEnv } from './config';
import { createBridgeServer } from './server';

/** Runs the bridge with the environment's configuration (`npm run bridge`, or the container). */
function main(): void {
  const config = configFromEnv();
  const server = createBridgeServer(config);
  server.listen(config.port, () => {
    console.log(`a2a-bridge listening on :${config.port}, agents ${config.agents.map((a) => `${a.namespace}/${a.name}`).join(', ')} via ${config.a2aBaseUrl}`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();

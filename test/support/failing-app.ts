/**
 * A cdk8s app for the CLI test: the reference platform plus one construct that throws, published with the
 * real pipeline into DIST_DIR. `npx cdk8s synth --app "npx tsx test/support/failing-app.ts"` must fail and
 * leave DIST_DIR as it was.
 */
import { buildHomelab } from '../../app/main';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { runSynth } from '../../src/synth/synthesize';

runSynth(
  () => {
    const app = buildHomelab(undefined, { bridgeBundle: 'console.log("bundle")' });
    const chart = app.charts[0];
    new TalosNamespace(chart, 'bad', { name: 'Not_A_Name' });
    return app;
  },
  { distDir: process.env.DIST_DIR },
);

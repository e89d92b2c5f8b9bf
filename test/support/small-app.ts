/**
 * A small cdk8s app for the cdk8s.yaml tests, run by the real cdk8s CLI from a temporary project: one namespace,
 * published into `dist/` of the working directory. With SMALL_APP_FAIL=build a construct throws while the app is
 * built; with SMALL_APP_FAIL=validate the tree fails validation at publish time.
 */
import { App } from 'cdk8s';
import { TalosNamespace } from '../../src/namespaces/talos-namespace';
import { PlatformChart } from '../../src/core/platform-chart';
import { runSynth } from '../../src/synth/synthesize';

runSynth(() => {
  const app = new App();
  const chart = new PlatformChart(app, 'namespaces', { folder: 'namespaces' });
  new TalosNamespace(chart, 'team', { name: process.env.SMALL_APP_NAMESPACE ?? 'team' });
  if (process.env.SMALL_APP_FAIL === 'build') new TalosNamespace(chart, 'bad', { name: 'Not_A_Name' });
  // The same Namespace in a second folder: two Argo CD applications would own it, which publish() rejects.
  if (process.env.SMALL_APP_FAIL === 'validate') new TalosNamespace(new PlatformChart(app, 'again', { folder: 'again' }), 'team', { name: 'team' });
  return app;
});

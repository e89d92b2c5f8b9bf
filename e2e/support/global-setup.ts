/** Builds (first run) or finds (warm cache) the real components before any end-to-end test runs. */
import { ensureToolchain } from '../../src/verify/toolchain';
import { step, stepLine } from './steps';

export default async function setup(): Promise<void> {
  const toolchain = await step('toolchain (build or cache)', () => ensureToolchain({ log: stepLine }));
  stepLine(`kubernetes ${toolchain.kubernetesVersion}, etcd ${toolchain.etcdVersion}, helm ${toolchain.helmVersion} in ${toolchain.binDir}`);
}

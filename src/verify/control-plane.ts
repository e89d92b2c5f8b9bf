import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { KubeClient } from './kube-client';
import type { Toolchain } from './toolchain';

/**
 * The PodSecurity defaults Talos writes into every cluster's admission configuration: enforce `baseline`, audit
 * and warn `restricted`, `kube-system` exempt (https://docs.siderolabs.com/kubernetes-guides/security/pod-security,
 * "Default PSA configuration"). Namespaces override them with their `pod-security.kubernetes.io/*` labels.
 */
const TALOS_ADMISSION_CONFIG = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: PodSecurity
    configuration:
      apiVersion: pod-security.admission.config.k8s.io/v1
      kind: PodSecurityConfiguration
      defaults:
        enforce: baseline
        enforce-version: latest
        audit: restricted
        audit-version: latest
        warn: restricted
        warn-version: latest
      exemptions:
        usernames: []
        runtimeClasses: []
        namespaces: [kube-system]
`;

/** Talos' defaults for the Service network (machine config `cluster.network.serviceSubnets`). */
const SERVICE_CIDR = '10.96.0.0/12';

export interface ControlPlaneOptions {
  readonly toolchain: Toolchain;
  /** Certificates, etcd's data and every component's log go here. */
  readonly workDir: string;
  readonly log?: (line: string) => void;
  /** How long each component may take to become healthy. @default 90 s */
  readonly startTimeoutMs?: number;
}

interface Component {
  readonly name: string;
  readonly process: ChildProcess;
  readonly logFile: string;
}

/**
 * A real Kubernetes control plane on loopback — etcd, kube-apiserver and kube-controller-manager at the pinned
 * version — configured the way Talos configures its API server: RBAC and Node authorization, the default
 * admission chain (NamespaceLifecycle, LimitRanger, ServiceAccount, ResourceQuota, PodSecurity, …) plus
 * NodeRestriction, and Talos' PodSecurity defaults. No scheduler or kubelet: Pods are created and admitted, never run.
 */
export class ControlPlane {
  public static async start(options: ControlPlaneOptions): Promise<ControlPlane> {
    const plane = new ControlPlane(options);
    try {
      await plane.boot();
      return plane;
    } catch (error) {
      await plane.stop();
      throw error;
    }
  }

  /** The API server's URL, on 127.0.0.1. */
  public server = '';
  /** A kubeconfig for an administrator (system:masters), for kubectl and helm. */
  public readonly kubeconfig: string;
  /** Where each component's log is written. */
  public readonly logDir: string;
  public client!: KubeClient;
  private readonly components: Component[] = [];
  private readonly adminToken = randomBytes(24).toString('hex');
  private readonly controllerToken = randomBytes(24).toString('hex');

  private constructor(private readonly options: ControlPlaneOptions) {
    this.logDir = join(options.workDir, 'logs');
    this.kubeconfig = join(options.workDir, 'admin.kubeconfig');
  }

  private async boot(): Promise<void> {
    const { workDir, toolchain } = this.options;
    mkdirSync(this.logDir, { recursive: true });
    const [etcdClient, etcdPeer, apiPort, controllerPort] = await freePorts(4);
    const files = this.writeCredentials();

    const etcdUrl = `http://127.0.0.1:${etcdClient}`;
    this.launch('etcd', toolchain.etcd, [
      '--name=verify',
      `--data-dir=${join(workDir, 'etcd')}`,
      '--unsafe-no-fsync',
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=verify=http://127.0.0.1:${etcdPeer}`,
      '--log-level=warn',
    ]);
    await this.waitFor('etcd', async () => (await httpGet(`${etcdUrl}/health`)).includes('"health":"true"'));

    this.server = `https://127.0.0.1:${apiPort}`;
    this.launch('kube-apiserver', toolchain.kubeApiserver, [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${join(workDir, 'certs')}`,
      `--token-auth-file=${files.tokens}`,
      // Talos: authorization Node,RBAC; NodeRestriction on top of the default admission plugins; PodSecurity defaults above.
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      `--admission-control-config-file=${files.admission}`,
      '--allow-privileged=true',
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--endpoint-reconciler-type=none',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${files.publicKey}`,
      `--service-account-signing-key-file=${files.privateKey}`,
      '--profiling=false',
    ]);
    const ca = await this.waitFor('kube-apiserver certificate', async () => readIfExists(join(workDir, 'certs', 'apiserver.crt')));
    this.client = new KubeClient(this.server, this.adminToken, ca);
    await this.waitFor('kube-apiserver', async () => (await this.client.request('GET', '/readyz')).status === 200);
    writeFileSync(this.kubeconfig, kubeconfig(this.server, join(workDir, 'certs', 'apiserver.crt'), 'admin', this.adminToken));

    const controllerKubeconfig = join(workDir, 'controller-manager.kubeconfig');
    writeFileSync(
      controllerKubeconfig,
      kubeconfig(this.server, join(workDir, 'certs', 'apiserver.crt'), 'system:kube-controller-manager', this.controllerToken),
    );
    this.launch('kube-controller-manager', toolchain.kubeControllerManager, [
      `--kubeconfig=${controllerKubeconfig}`,
      `--authentication-kubeconfig=${controllerKubeconfig}`,
      `--authorization-kubeconfig=${controllerKubeconfig}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${controllerPort}`,
      '--leader-elect=false',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${files.privateKey}`,
      `--root-ca-file=${join(workDir, 'certs', 'apiserver.crt')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--profiling=false',
    ]);
    await this.waitFor('kube-controller-manager', async () => (await httpsGet(`https://127.0.0.1:${controllerPort}/healthz`)) === 'ok');
    await this.client.discover();
  }

  /** The service-account signing key, the static tokens and the admission configuration. */
  private writeCredentials(): { privateKey: string; publicKey: string; tokens: string; admission: string } {
    const dir = this.options.workDir;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const files = { privateKey: join(dir, 'sa.key'), publicKey: join(dir, 'sa.pub'), tokens: join(dir, 'tokens.csv'), admission: join(dir, 'admission.yaml') };
    writeFileSync(files.privateKey, privateKey, { mode: 0o600 });
    writeFileSync(files.publicKey, publicKey);
    writeFileSync(
      files.tokens,
      `${this.adminToken},admin,admin,"system:masters"\n${this.controllerToken},system:kube-controller-manager,kube-controller-manager\n`,
      { mode: 0o600 },
    );
    writeFileSync(files.admission, TALOS_ADMISSION_CONFIG);
    return files;
  }

  private launch(name: string, binary: string, args: string[]): void {
    const logFile = join(this.logDir, `${name}.log`);
    const log = createWriteStream(logFile);
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    // Should this process end without stop() (an uncaught error, a signal), its components must not outlive it.
    const orphanGuard = () => child.kill('SIGKILL');
    process.once('exit', orphanGuard);
    child.once('exit', () => process.off('exit', orphanGuard));
    this.components.push({ name, process: child, logFile });
  }

  /** Polls `ready` until it yields a value; fails early with the log's tail when the component exits. */
  private async waitFor<T>(name: string, ready: () => Promise<T | undefined | false>): Promise<T> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 90_000);
    const started = Date.now();
    for (;;) {
      const exited = this.components.find((c) => c.process.exitCode !== null || c.process.signalCode !== null);
      if (exited)
        throw new Error(
          `${exited.name} exited (${exited.process.exitCode ?? exited.process.signalCode}) before ${name} was ready; log: ${exited.logFile}\n${tail(exited.logFile)}`,
        );
      const value = await ready().catch(() => undefined);
      if (value) {
        this.options.log?.(`${name} ready in ${Date.now() - started} ms`);
        return value as T;
      }
      if (Date.now() > deadline) throw new Error(`${name} was not ready within ${(this.options.startTimeoutMs ?? 90_000) / 1000} s; logs in ${this.logDir}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Stops every component (the last started first) and waits until each has exited. */
  public async stop(): Promise<void> {
    this.client?.close();
    for (const component of [...this.components].reverse()) await terminate(component.process);
  }
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** Ports the kernel hands out on 127.0.0.1 right now. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<import('node:net').Server>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function kubeconfig(server: string, caFile: string, user: string, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': 'verify',
    clusters: [{ name: 'verify', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: 'verify', context: { cluster: 'verify', user } }],
  });
}

function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

function tail(file: string, lines = 20): string {
  return (readIfExists(file) ?? '').trimEnd().split('\n').slice(-lines).join('\n');
}

async function httpGet(url: string): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  return response.text();
}

/** The controller-manager serves a self-signed certificate of its own; only its health text is read. */
async function httpsGet(url: string): Promise<string> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, { rejectUnauthorized: false, timeout: 2_000 }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../core/paths';

/**
 * The Go module that pins the real components (`go.mod`: Kubernetes, its etcd, Helm). It ships with the package,
 * so `verify` builds the same binaries for a user as the end-to-end tier builds here.
 */
export const TOOLCHAIN_MODULE = join(PACKAGE_ROOT, 'src', 'verify', 'toolchain');

/** The binaries `verify` runs, built once per pin set into a cache outside the project. */
export interface Toolchain {
  readonly binDir: string;
  readonly kubeApiserver: string;
  readonly kubeControllerManager: string;
  readonly kubectl: string;
  readonly etcd: string;
  readonly helm: string;
  /** The stamped Kubernetes version, e.g. `v1.36.3`: what `/version` reports and Helm's `--kube-version`. */
  readonly kubernetesVersion: string;
  readonly helmVersion: string;
  readonly etcdVersion: string;
}

/** Go is missing or too old: says what `verify` needs. */
export class ToolchainUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `verify builds the real kube-apiserver, kube-controller-manager, etcd and Helm from the Go module proxy and needs Go ≥ 1.26 on PATH (${detail}). ` +
        "Install Go (https://go.dev/dl, or your distribution's golang package), or run the offline checks only: `agent-platform-cdk8s validate`.",
    );
    this.name = 'ToolchainUnavailableError';
  }
}

/** The versions `go.mod` pins: the one place they are written. */
export function toolchainPins(module = TOOLCHAIN_MODULE): { kubernetes: string; helm: string; etcd: string } {
  const goMod = readFileSync(join(module, 'go.mod'), 'utf8');
  const pin = (path: string) => {
    const found = new RegExp(`^\\s*(?:require\\s+)?${path.replace(/[./]/g, '\\$&')} (v\\S+)`, 'm').exec(goMod);
    if (!found) throw new Error(`${module}/go.mod pins no ${path}`);
    return found[1];
  };
  return { kubernetes: pin('k8s.io/kubernetes'), helm: pin('helm.sh/helm/v4'), etcd: pin('go.etcd.io/etcd/server/v3') };
}

/** Where built toolchains live: `AGENT_PLATFORM_TOOLCHAIN_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`. */
export function toolchainCacheRoot(): string {
  return process.env.AGENT_PLATFORM_TOOLCHAIN_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'agent-platform-cdk8s', 'toolchain');
}

const BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kubectl', 'etcd', 'helm'] as const;

/**
 * The toolchain for the pinned versions, built on first use (about 7 minutes on 2 cores with an empty Go cache)
 * and reused after: the folder is keyed by the module's files and the Go version, and appears whole or not at all.
 */
export function ensureToolchain(options: { readonly log?: (line: string) => void } = {}): Toolchain {
  const go = goVersion();
  const pins = toolchainPins();
  const files = ['go.mod', 'go.sum', 'tools.go', join('cmd', 'etcd', 'main.go')];
  const hash = createHash('sha256').update(go);
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(join(TOOLCHAIN_MODULE, file)))
      .update('\0');
  const binDir = join(toolchainCacheRoot(), `${pins.kubernetes}-${hash.digest('hex').slice(0, 16)}`, 'bin');
  const toolchain = toToolchain(binDir, pins);
  if (BINARIES.every((name) => existsSync(join(binDir, name)))) return toolchain;

  const started = Date.now();
  options.log?.(
    `building kube-apiserver, kube-controller-manager, kubectl ${pins.kubernetes}, etcd ${pins.etcd} and helm ${pins.helm} with ${go} into ${binDir}`,
  );
  const staging = `${binDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const built = spawnSync('go', ['build', '-trimpath', '-ldflags', ldflags(pins), '-o', `${staging}/`, ...BUILD_TARGETS], {
    cwd: TOOLCHAIN_MODULE,
    encoding: 'utf8',
    env: { ...process.env, CGO_ENABLED: '0', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (built.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`building the toolchain failed (go build in ${TOOLCHAIN_MODULE}):\n${built.stderr || built.error?.message}`);
  }
  rmSync(binDir, { recursive: true, force: true });
  renameSync(staging, binDir);
  options.log?.(`built the toolchain in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return toolchain;
}

const BUILD_TARGETS = [
  'k8s.io/kubernetes/cmd/kube-apiserver',
  'k8s.io/kubernetes/cmd/kube-controller-manager',
  'k8s.io/kubernetes/cmd/kubectl',
  './cmd/etcd',
  'helm.sh/helm/v4/cmd/helm',
];

/** Version stamps, as Kubernetes' and Helm's release builds set them (else `/version` says v0.0.0 and Helm's kubeVersion checks fail). */
function ldflags(pins: { kubernetes: string; helm: string }): string {
  const [major, minor] = pins.kubernetes.replace(/^v/, '').split('.');
  const stamps: Record<string, string> = {
    'k8s.io/component-base/version.gitVersion': pins.kubernetes,
    'k8s.io/component-base/version.gitMajor': major,
    'k8s.io/component-base/version.gitMinor': minor,
    'k8s.io/component-base/version.gitTreeState': 'clean',
    'k8s.io/client-go/pkg/version.gitVersion': pins.kubernetes,
    'k8s.io/client-go/pkg/version.gitMajor': major,
    'k8s.io/client-go/pkg/version.gitMinor': minor,
    'helm.sh/helm/v4/internal/version.version': pins.helm,
  };
  return ['-s', '-w', ...Object.entries(stamps).map(([key, value]) => `-X ${key}=${value}`)].join(' ');
}

function toToolchain(binDir: string, pins: { kubernetes: string; helm: string; etcd: string }): Toolchain {
  return {
    binDir,
    kubeApiserver: join(binDir, 'kube-apiserver'),
    kubeControllerManager: join(binDir, 'kube-controller-manager'),
    kubectl: join(binDir, 'kubectl'),
    etcd: join(binDir, 'etcd'),
    helm: join(binDir, 'helm'),
    kubernetesVersion: pins.kubernetes,
    helmVersion: pins.helm,
    etcdVersion: pins.etcd,
  };
}

function goVersion(): string {
  const result = spawnSync('go', ['version'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } });
  if (result.error || result.status !== 0) throw new ToolchainUnavailableError(`\`go version\` failed: ${result.error?.message ?? result.stderr.trim()}`);
  const version = /go(\d+)\.(\d+)/.exec(result.stdout);
  if (!version || Number(version[1]) < 1 || (Number(version[1]) === 1 && Number(version[2]) < 26))
    throw new ToolchainUnavailableError(`found ${result.stdout.trim()}`);
  return result.stdout.trim();
}

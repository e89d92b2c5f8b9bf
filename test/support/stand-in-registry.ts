/**
 * What a user's npm sees, offline: a stand-in registry serving this repository's lockfile from the npm cache, and
 * a shell that runs a command as the user types it, pointed at that registry.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { REPO_ROOT } from './platform';

export interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs shell commands with npm pointed at `registryUrl`, without the environment of the test runner's npm. */
export function userShell(registryUrl: string, cacheDir: string): (command: string, cwd: string, env?: Record<string, string>) => Promise<Run> {
  return (command, cwd, env = {}) => {
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|CDK8S_)/i.test(key)));
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: {
        ...inherited,
        npm_config_registry: registryUrl,
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
        AGENT_PLATFORM_CACHE: cacheDir,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
  };
}

/**
 * A stand-in for registry.npmjs.org: a registry document for every package version this repository's
 * lockfile pins (the newest stable one as `latest`), and each tarball from the npm cache `npm ci` filled (npm
 * usually finds it there by integrity without asking). An install by name needs these documents, which
 * `npm ci` never fetches; with them the README's line runs unchanged, offline.
 */
export async function startRegistry(): Promise<{ url: string; server: Server }> {
  const documents = registryDocuments();
  const cache = join(execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), '_cacache');
  const server = createServer((request, response) => {
    const path = decodeURIComponent(request.url ?? '/').slice(1);
    const [name, file] = path.split('/-/');
    const document = documents.get(name);
    if (!document) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    if (file === undefined)
      return void response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(document).replaceAll('@REGISTRY@', `http://${request.headers.host}`));
    const version = Object.values(document.versions).find((v) => v.dist.tarball.endsWith(`/-/${file}`));
    const bytes = version && cachedContent(cache, version.dist.integrity);
    if (!bytes) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

interface VersionDocument {
  readonly version: string;
  readonly dist: { readonly tarball: string; readonly integrity: string };
}

function registryDocuments(): Map<string, { name: string; versions: Record<string, VersionDocument>; 'dist-tags': { latest: string } }> {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, any>> };
  const versions = new Map<string, Record<string, VersionDocument>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    // Bundled packages come inside their parent's tarball; links are this repository's own folders.
    if (!key || entry.inBundle || entry.link || !entry.integrity) continue;
    const name: string = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const fields = [
      'dependencies',
      'optionalDependencies',
      'peerDependencies',
      'peerDependenciesMeta',
      'bundleDependencies',
      'bin',
      'engines',
      'os',
      'cpu',
      'license',
      'hasInstallScript',
    ];
    versions.set(name, {
      ...versions.get(name),
      [entry.version]: {
        name,
        version: entry.version,
        ...Object.fromEntries(fields.filter((f) => f in entry).map((f) => [f, entry[f]])),
        dist: { tarball: `@REGISTRY@/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`, integrity: entry.integrity },
      },
    });
  }
  return new Map(
    [...versions].map(([name, byVersion]) => [name, { name, versions: byVersion, 'dist-tags': { latest: newestStable(Object.keys(byVersion)) } }]),
  );
}

function newestStable(versions: string[]): string {
  const stable = versions.filter((v) => !v.includes('-'));
  return (stable.length > 0 ? stable : versions).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).pop()!;
}

/** A file of the npm cache, by its integrity (cacache's content layout). */
function cachedContent(cache: string, integrity: string): Buffer | undefined {
  const [algorithm, digest] = integrity.split(/-(.*)/s);
  const hex = Buffer.from(digest, 'base64').toString('hex');
  const path = join(cache, 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
  return existsSync(path) ? readFileSync(path) : undefined;
}

import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { DumpOptions } from 'js-yaml';
import { PACKAGE_ROOT } from '../paths';

/** Below this many objects, starting a worker (~60 ms with js-yaml) costs more than it saves. */
const PARALLEL_THRESHOLD = 2000;
const MAX_WORKERS = 3;
/** A worker that has not answered by then is abandoned and its share done here. */
const WORKER_TIMEOUT_MS = 120_000;

/**
 * Dumps JSON documents to YAML with js-yaml, like the main thread does, and either answers with the texts or
 * writes each to its target file and answers with the files' stamps; then wakes the main thread, which waits
 * synchronously (synthesis is synchronous).
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, signal, jsYaml, options, documents, targets } = workerData;
try {
  const yaml = require(jsYaml);
  const texts = documents.map((json) => yaml.dump(JSON.parse(json), options));
  if (targets) {
    const fs = require('node:fs');
    const stamps = texts.map((text, i) => {
      const fd = fs.openSync(targets[i], 'w');
      try {
        const bytes = Buffer.from(text);
        for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset);
        const stat = fs.fstatSync(fd, { bigint: true });
        return { size: stat.size, mtimeNs: stat.mtimeNs, ino: stat.ino };
      } finally {
        fs.closeSync(fd);
      }
    });
    port.postMessage({ results: stamps });
  } else {
    port.postMessage({ results: texts });
  }
} catch (error) {
  port.postMessage({ error: String(error && error.stack || error) });
}
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
`;

/** What identifies a file's content as written: its size, modification time and inode (what PublishRecord keeps). */
export interface FileStamp {
  readonly size: bigint;
  readonly mtimeNs: bigint;
  readonly ino: bigint;
}

/** How to render an object: its JSON (what a worker is sent), and its YAML rendered here with the same options. */
export interface YamlRendering<T> {
  readonly jsonOf: (object: T) => string;
  readonly render: (object: T) => string;
  readonly options: DumpOptions;
}

/** A manifest to write: the object and the absolute path of its file (whose folder exists). */
export interface ManifestTarget<T> {
  readonly object: T;
  readonly target: string;
}

interface PendingShare {
  readonly start: number;
  readonly end: number;
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/**
 * Renders `objects` to YAML with worker threads taking shares of them while this thread renders its own, and
 * returns the texts in order; undefined (nothing done) when there are too few objects or no spare CPU. A
 * worker that fails or times out has its share rendered here, so the result never depends on the workers.
 */
export function renderInWorkers<T>(objects: readonly T[], rendering: YamlRendering<T>): string[] | undefined {
  return inShares(objects, (share, start) => startShare(share.map(rendering.jsonOf), undefined, start, rendering.options), rendering.render);
}

/**
 * Renders and writes manifests with worker threads taking shares of them while this thread does its own
 * (`writeHere`), and returns each file's stamp in order; undefined (nothing done) when there are too few or
 * no spare CPU. Creating thousands of files is mostly time in the kernel: threads overlap it with rendering,
 * and with each other. A worker that fails (a write error included) has its whole share done here, so any
 * error is this thread's own.
 */
export function writeInWorkers<T>(manifests: readonly ManifestTarget<T>[], rendering: YamlRendering<T>, writeHere: (manifest: ManifestTarget<T>) => FileStamp): FileStamp[] | undefined {
  return inShares(manifests, (share, start) => startShare(share.map((m) => rendering.jsonOf(m.object)), share.map((m) => m.target), start, rendering.options), writeHere);
}

/** Splits `items` into shares, one per worker plus this thread's, and returns the results in order. */
function inShares<I, R>(items: readonly I[], start: (share: readonly I[], at: number) => PendingShare, doHere: (item: I) => R): R[] | undefined {
  const workers = items.length >= PARALLEL_THRESHOLD ? Math.min(availableParallelism() - 1, MAX_WORKERS) : 0;
  if (workers < 1) return undefined;
  const size = Math.ceil(items.length / (workers + 1));
  const shares = Array.from({ length: workers }, (_, i) => start(items.slice((i + 1) * size, (i + 2) * size), (i + 1) * size));
  const results = items.slice(0, size).map(doHere);
  for (const pending of shares) results.push(...((collectShare(pending) as R[] | undefined) ?? items.slice(pending.start, pending.end).map(doHere)));
  return results;
}

function startShare(documents: readonly string[], targets: readonly string[] | undefined, start: number, options: DumpOptions): PendingShare {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const end = start + documents.length;
  const workerData = { port: port2, signal, jsYaml: jsYamlPath(), options, documents, targets };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, transferList: [port2] });
  worker.unref();
  return { start, end, worker, port: port1, signal };
}

function collectShare(pending: PendingShare): unknown[] | undefined {
  const answered = Atomics.wait(pending.signal, 0, 0, WORKER_TIMEOUT_MS) !== 'timed-out';
  const message = answered ? (receiveMessageOnPort(pending.port)?.message as { results?: unknown[] } | undefined) : undefined;
  pending.port.close();
  void pending.worker.terminate();
  return message?.results?.length === pending.end - pending.start ? message.results : undefined;
}

/** js-yaml as this package resolves it (a bundled synth has its own copy, but the worker loads the package). */
function jsYamlPath(): string {
  return createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('js-yaml');
}

import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { DumpOptions } from 'js-yaml';
import { PACKAGE_ROOT } from '../paths';

/** Below this many objects, starting a worker (~60 ms with js-yaml) costs more than it saves. */
const PARALLEL_THRESHOLD = 2000;
const MAX_WORKERS = 3;
/** A worker that has not answered by then is abandoned and its share rendered here. */
const WORKER_TIMEOUT_MS = 120_000;

/**
 * Dumps JSON documents to YAML with js-yaml, like the main thread does, and answers on the port it was given,
 * then wakes the main thread, which waits synchronously (synthesis is synchronous).
 */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, signal, jsYaml, options, documents } = workerData;
try {
  const yaml = require(jsYaml);
  port.postMessage({ texts: documents.map((json) => yaml.dump(JSON.parse(json), options)) });
} catch (error) {
  port.postMessage({ error: String(error && error.stack || error) });
}
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
`;

interface PendingShare {
  readonly start: number;
  readonly end: number;
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly signal: Int32Array;
}

/** How to render an object: its JSON (what a worker is sent), and its YAML rendered here with the same options. */
export interface YamlRendering<T> {
  readonly jsonOf: (object: T) => string;
  readonly render: (object: T) => string;
  readonly options: DumpOptions;
}

/**
 * Renders `objects` to YAML with worker threads taking shares of them while this thread renders its own, and
 * returns the texts in order; undefined (nothing done) when there are too few objects or no spare CPU. A
 * worker that fails or times out has its share rendered here, so the result never depends on the workers.
 */
export function renderInWorkers<T>(objects: readonly T[], { jsonOf, render, options }: YamlRendering<T>): string[] | undefined {
  const workers = objects.length >= PARALLEL_THRESHOLD ? Math.min(availableParallelism() - 1, MAX_WORKERS) : 0;
  if (workers < 1) return undefined;
  const share = Math.ceil(objects.length / (workers + 1));
  const shares = Array.from({ length: workers }, (_, i) => startShare(objects.slice((i + 1) * share, (i + 2) * share).map(jsonOf), (i + 1) * share, options));
  const texts = objects.slice(0, share).map(render);
  for (const pending of shares) texts.push(...(collectShare(pending) ?? objects.slice(pending.start, pending.end).map(render)));
  return texts;
}

function startShare(documents: readonly string[], start: number, options: DumpOptions): PendingShare {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const end = start + documents.length;
  const workerData = { port: port2, signal, jsYaml: jsYamlPath(), options, documents };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData, transferList: [port2] });
  worker.unref();
  return { start, end, worker, port: port1, signal };
}

function collectShare(pending: PendingShare): string[] | undefined {
  const answered = Atomics.wait(pending.signal, 0, 0, WORKER_TIMEOUT_MS) !== 'timed-out';
  const message = answered ? (receiveMessageOnPort(pending.port)?.message as { texts?: string[] } | undefined) : undefined;
  pending.port.close();
  void pending.worker.terminate();
  return message?.texts?.length === pending.end - pending.start ? message.texts : undefined;
}

/** js-yaml as this package resolves it (a bundled synth has its own copy, but the worker loads the package). */
function jsYamlPath(): string {
  return createRequire(join(PACKAGE_ROOT, 'package.json')).resolve('js-yaml');
}

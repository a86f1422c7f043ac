import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { packPageJson } from './envelope.js';
import { renderJob, warmJob, type JobKind, type WorkerBatch, type WorkerInit, type WorkerReply, type WorkerWarm } from './jobs.js';

/**
 * Waits for batches of jobs and takes jobs from a counter shared with the main thread and the other
 * workers, so faster threads take more. Results go back in small batches tagged with their job index;
 * a job that throws comes back as `null` for the main thread to redo, so it reports the same error a
 * 1-thread build would. The worker stays for the next call: its modules are loaded and its templates
 * parsed once.
 */
const { flag, port } = workerData as WorkerInit & { port: MessagePort };
const signal = new Int32Array(flag);
const BATCH = 32;

function post(batch: number, kind: JobKind, results: [number, unknown][]): void {
  try {
    const moved = kind === 'sign' ? packPageJson(results) : undefined;
    port.postMessage([batch, results] satisfies WorkerReply, moved ? [moved] : []);
  } catch {
    // A result that cannot be copied (a value no structured clone takes) is redone by the main thread.
    for (const [index, result] of results) {
      try {
        port.postMessage([batch, [[index, result]]] satisfies WorkerReply);
      } catch {
        port.postMessage([batch, [[index, null]]] satisfies WorkerReply);
      }
    }
  }
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
}

function run({ batch, kind, jobs, settings, counter }: WorkerBatch): void {
  const next = new Int32Array(counter);
  let results: [number, unknown][] = [];
  for (let i = Atomics.add(next, 0, 1); i < jobs.length; i = Atomics.add(next, 0, 1)) {
    let result: unknown = null;
    try {
      result = renderJob(kind, jobs[i], settings);
    } catch {
      result = null;
    }
    results.push([i, result]);
    if (results.length >= BATCH) {
      post(batch, kind, results);
      results = [];
    }
  }
  if (results.length > 0) post(batch, kind, results);
}

parentPort!.on('message', (message: WorkerBatch | WorkerWarm) => {
  if ('warm' in message) {
    for (const kind of message.warm) {
      try {
        warmJob(kind);
      } catch {
        // The job itself will fail the same way and be redone by the main thread.
      }
    }
  } else run(message);
});

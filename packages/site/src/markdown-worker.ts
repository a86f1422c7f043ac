import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { renderJob, type WorkerInput } from './jobs.js';

/**
 * Takes jobs from a counter shared with the main thread and the other workers, so faster threads
 * take more. Results go back in small batches tagged with their job index; a job that throws comes
 * back as `null` for the main thread to redo, so it reports the same error a 1-thread build would.
 */
const { kind, jobs, counter, flag, port, layoutsDir } = workerData as WorkerInput & { port: MessagePort };
const next = new Int32Array(counter);
const signal = new Int32Array(flag);
const BATCH = 32;
let batch: [number, unknown][] = [];
const flush = () => {
  port.postMessage(batch);
  batch = [];
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
};
for (let i = Atomics.add(next, 0, 1); i < jobs.length; i = Atomics.add(next, 0, 1)) {
  let result: unknown = null;
  try {
    result = renderJob(kind, jobs[i], layoutsDir);
  } catch {
    result = null;
  }
  batch.push([i, result]);
  if (batch.length >= BATCH) flush();
}
flush();
port.close();

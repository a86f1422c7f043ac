import { workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { renderMarkdown, type RenderedMarkdown } from '@signet/markdown';
import type { WorkerInput } from './parallel.js';

/**
 * Renders Markdown jobs taken from a counter shared with the main thread and the other workers, so
 * the faster threads take more. Results go back in small batches, each tagged with its job index; a
 * job that throws is sent back as `null` for the main thread to redo, so it reports the same error
 * a single-threaded build would.
 */
const { jobs, counter, flag, port } = workerData as WorkerInput & { port: MessagePort };
const next = new Int32Array(counter);
const signal = new Int32Array(flag);
const BATCH = 32;
let batch: [number, RenderedMarkdown | null][] = [];
const flush = () => {
  port.postMessage(batch);
  batch = [];
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
};
for (let i = Atomics.add(next, 0, 1); i < jobs.length; i = Atomics.add(next, 0, 1)) {
  const job = jobs[i]!;
  let rendered: RenderedMarkdown | null = null;
  try {
    rendered = renderMarkdown(job.body, { trustHtml: job.trustHtml, baseUrl: job.baseUrl });
  } catch {
    rendered = null;
  }
  batch.push([i, rendered]);
  if (batch.length >= BATCH) flush();
}
flush();
port.close();

import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { Renderer } from '@signet/theme';
import { renderJob, type JobKind, type JobOf, type ResultOf, type WorkerInput } from './jobs.js';

export type { MarkdownJob, LayoutJob } from './jobs.js';

// Starting a worker (a fresh V8 isolate that loads the Markdown pipeline or the template engine)
// costs about as much as a few hundred jobs; below this the main thread alone is faster.
const MIN_JOBS_PER_THREAD = 400;
// A worker that has taken a job and then says nothing for this long is given up on.
const STALL_MS = 30_000;

// Declared out here: a handler made inside `runJobs` would keep its jobs alive for as long as the
// worker object lives, which for a synchronous build is until the build ends.
const ignore = () => {};

/** How many threads to use: `threads` if given (1 = main thread only), else one per core. */
export function threadCount(threads: number | undefined, jobs: number): number {
  const wanted = threads ?? availableParallelism();
  return Math.max(1, Math.min(wanted, Math.ceil(jobs / MIN_JOBS_PER_THREAD)));
}

/**
 * Runs jobs on the main thread and `threads - 1` workers at once, yet synchronously for the caller,
 * so `buildSite` keeps its API: the main thread takes jobs too, then sleeps on a shared flag and
 * reads the workers' replies with `receiveMessageOnPort`. Results are placed by job index, so the
 * output does not depend on which thread did what.
 */
export function runJobs<K extends JobKind>(
  kind: K,
  jobs: JobOf<K>[],
  threads: number,
  options: { layoutsDir?: string; renderer?: Renderer } = {},
): { results: ResultOf<K>[]; byWorkers: number } {
  const run = (job: JobOf<K>) => renderJob(kind, job, options.layoutsDir, options.renderer) as ResultOf<K>;
  if (threads <= 1) return { results: jobs.map(run), byWorkers: 0 };
  const results = new Array<ResultOf<K> | null | undefined>(jobs.length);
  const counter = new SharedArrayBuffer(4);
  const flag = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const signal = new Int32Array(flag);
  const ports: MessagePort[] = [];
  const workers = Array.from({ length: threads - 1 }, () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    const workerData: WorkerInput & { port: MessagePort } = { kind, jobs, layoutsDir: options.layoutsDir, counter, flag, port: port2 };
    const worker = new Worker(new URL('../dist/markdown-worker.js', import.meta.url), { workerData, transferList: [port2] });
    // A worker that fails to start or dies is not fatal: the main thread redoes whatever it left.
    worker.on('error', ignore);
    worker.unref();
    return worker;
  });
  let filled = 0;
  let byWorkers = 0;
  try {
    for (let i = Atomics.add(next, 0, 1); i < jobs.length; i = Atomics.add(next, 0, 1)) {
      results[i] = run(jobs[i]!);
      filled++;
    }
    let lastProgress = performance.now();
    while (filled < jobs.length && performance.now() - lastProgress < STALL_MS) {
      const seen = Atomics.load(signal, 0);
      for (const port of ports) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
          for (const [index, result] of message.message as [number, ResultOf<K> | null][]) {
            results[index] = result;
            filled++;
            byWorkers++;
          }
          lastProgress = performance.now();
        }
      }
      if (filled < jobs.length) Atomics.wait(signal, 0, seen, 200);
    }
  } finally {
    for (const worker of workers) void worker.terminate();
    for (const port of ports) port.close();
  }
  // Jobs a worker failed (or never returned) are redone here, so errors surface as in a 1-thread build.
  return { results: results.map((result, i) => result ?? run(jobs[i]!)), byWorkers };
}

/** Renders Markdown jobs; see `runJobs`. */
export function renderMarkdownJobs(jobs: JobOf<'markdown'>[], threads: number) {
  return runJobs('markdown', jobs, threads);
}

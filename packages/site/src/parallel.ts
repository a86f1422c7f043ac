import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { RenderedMarkdown } from '@signet/markdown';
import { lazy } from './lazy.js';

const markdown = lazy<typeof import('@signet/markdown')>('@signet/markdown');

export interface MarkdownJob {
  body: string;
  trustHtml: boolean;
  baseUrl: string;
}

export interface WorkerInput {
  jobs: MarkdownJob[];
  /** Int32 index of the next job to take, shared by every thread. */
  counter: SharedArrayBuffer;
  /** Int32 bumped by a worker each time it posts results, so the main thread can sleep until then. */
  flag: SharedArrayBuffer;
}

// Starting a worker (a fresh V8 isolate that loads the Markdown pipeline) costs about as much as
// rendering a few hundred posts; below this the main thread alone is faster.
const MIN_JOBS_PER_THREAD = 400;
// A worker that has taken a job and then says nothing for this long is given up on.
const STALL_MS = 30_000;

/** How many threads to use: `threads` if given (1 = main thread only), else one per core. */
export function threadCount(threads: number | undefined, jobs: number): number {
  const wanted = threads ?? availableParallelism();
  return Math.max(1, Math.min(wanted, Math.ceil(jobs / MIN_JOBS_PER_THREAD)));
}

const render = (job: MarkdownJob) => markdown().renderMarkdown(job.body, { trustHtml: job.trustHtml, baseUrl: job.baseUrl });

/**
 * Renders Markdown on the main thread and `threads - 1` workers at once, yet synchronously for the
 * caller, so `buildSite` keeps its API: the main thread takes jobs too, then sleeps on a shared flag
 * and reads the workers' replies with `receiveMessageOnPort`. Results are placed by job index, so
 * the output does not depend on which thread rendered what.
 */
export function renderMarkdownJobs(jobs: MarkdownJob[], threads: number): { results: RenderedMarkdown[]; byWorkers: number } {
  if (threads <= 1) return { results: jobs.map(render), byWorkers: 0 };
  const results = new Array<RenderedMarkdown | null | undefined>(jobs.length);
  const counter = new SharedArrayBuffer(4);
  const flag = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const signal = new Int32Array(flag);
  const ports: MessagePort[] = [];
  const workers = Array.from({ length: threads - 1 }, () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1);
    const worker = new Worker(new URL('../dist/markdown-worker.js', import.meta.url), {
      workerData: { jobs, counter, flag, port: port2 },
      transferList: [port2],
    });
    worker.unref();
    return worker;
  });
  let filled = 0;
  let byWorkers = 0;
  try {
    for (let i = Atomics.add(next, 0, 1); i < jobs.length; i = Atomics.add(next, 0, 1)) {
      results[i] = render(jobs[i]!);
      filled++;
    }
    let lastProgress = performance.now();
    while (filled < jobs.length && performance.now() - lastProgress < STALL_MS) {
      const seen = Atomics.load(signal, 0);
      for (const port of ports) {
        for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) {
          for (const [index, rendered] of message.message as [number, RenderedMarkdown | null][]) {
            results[index] = rendered;
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
  return { results: results.map((result, i) => result ?? render(jobs[i]!)), byWorkers };
}

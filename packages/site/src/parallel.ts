import { availableParallelism } from 'node:os';
import { MessageChannel, receiveMessageOnPort, type Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { SiteConfig } from '@signet/config';
import type { Renderer } from '@signet/theme';
import { startWorker } from './exec-argv.js';
import { renderJob, type JobKind, type JobOf, type JobSettings, type ResultOf, type WorkerBatch, type WorkerInit, type WorkerReply, type WorkerWarm } from './jobs.js';

export type { MarkdownJob, LayoutJob } from './jobs.js';

// Starting a worker (a fresh V8 isolate that loads the Markdown pipeline or the template engine)
// costs about as much as a few hundred jobs; below this the main thread alone is faster.
const MIN_JOBS_PER_THREAD = 400;

/**
 * When the thread count is left to the build: reading an entry (30–60 µs) and rendering a compiled
 * layout (10–25 µs) cost about what copying the job to a worker and its result back does, and a
 * worker's JIT starts cold. On two cores, 4,000-post builds read entries 60–120 ms faster and render
 * layouts 100–170 ms faster on the main thread alone (`npm run bench`), so those kinds use workers
 * only on much larger sites. Markdown too: two threads each warming their own JIT for the pipeline
 * (while V8 compiles and collects in the background) rendered 4,000 posts hardly faster than one, and
 * plain posts slower; the second core signs instead, while this one renders (see build.ts).
 * Signing (native Ed25519, little code to warm) gains from a second thread.
 */
const AUTO_MIN_JOBS_PER_THREAD: Record<JobKind, number> = { entry: 10_000, layout: 10_000, markdown: 10_000, sign: MIN_JOBS_PER_THREAD };
// A worker that has taken a job and then says nothing for this long is given up on.
const STALL_MS = 30_000;

interface Helper {
  worker: Worker;
  port: MessagePort;
}

/**
 * Workers outlive a call: a build runs entries, Markdown, signatures and layouts in turn, and a worker
 * that has loaded their modules and parsed the layouts once does each next call at full speed. They
 * are unref'd, so an idle worker never keeps the process alive.
 */
const helpers: Helper[] = [];
const flag = new SharedArrayBuffer(4);
const signal = new Int32Array(flag);
let batches = 0;
/** Started batches not yet finished → the workers' replies to them read while finishing another. */
const early = new Map<number, [number, unknown][][]>();

/**
 * How many threads to use for `jobs` jobs of a kind: up to `threads` if given (1 = main thread only),
 * else up to one per core with the minimum for that kind (see AUTO_MIN_JOBS_PER_THREAD).
 */
export function threadCount(threads: number | undefined, jobs: number, kind: JobKind): number {
  const wanted = threads ?? availableParallelism();
  const perThread = threads === undefined ? AUTO_MIN_JOBS_PER_THREAD[kind] : MIN_JOBS_PER_THREAD;
  return Math.max(1, Math.min(wanted, Math.ceil(jobs / perThread)));
}

function startHelpers(count: number): Helper[] {
  while (helpers.length < count) {
    const { port1, port2 } = new MessageChannel();
    const workerData: WorkerInit & { port: MessagePort } = { flag, port: port2 };
    // A young generation of 4 MB, which V8 would otherwise grow to tens of MB: the helper's heap holds
    // little that lives long (a batch's jobs and results), and each megabyte it grows by is fresh
    // memory the kernel maps a page at a time (~15 µs a page on a virtual machine). Cold builds of the
    // bench's 4,000 posts (interleaved, medians of 11 and 7): plain 1,591 → 1,543 ms, rich 3,162 →
    // 3,076 ms.
    const worker = startWorker(new URL('../dist/markdown-worker.js', import.meta.url), { workerData, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    const helper = { worker, port: port1 };
    // A worker that fails to start or dies is not fatal: the main thread redoes whatever it left.
    const drop = () => dropHelper(helper);
    worker.on('error', drop);
    worker.on('exit', drop);
    worker.unref();
    helpers.push(helper);
  }
  return helpers.slice(0, count);
}

function dropHelper(helper: Helper): void {
  const index = helpers.indexOf(helper);
  if (index >= 0) helpers.splice(index, 1);
  helper.port.close();
  void helper.worker.terminate();
}

/**
 * Starts the workers `threads` threads would use and has them load what jobs of these kinds need,
 * while the main thread does something else: a build calls this before reading its content.
 */
export function warmWorkers(threads: number, kinds: JobKind[]): void {
  if (threads <= 1) return;
  for (const helper of startHelpers(threads - 1)) helper.worker.postMessage({ warm: kinds } satisfies WorkerWarm);
}

/** Jobs handed to workers by `startJobs`, for `finishJobs` to complete. */
export interface StartedJobs<K extends JobKind> {
  kind: K;
  jobs: JobOf<K>[];
  settings: JobSettings;
  renderer: Renderer | undefined;
  batch: number;
  counter: Int32Array;
  team: Helper[];
}

type JobOptions = { layoutsDir?: string; renderer?: Renderer; config?: SiteConfig; signing?: JobSettings['signing'] };

/**
 * Hands jobs to `threads - 1` workers, which start on them at once, while the calling thread goes on
 * with other work; `finishJobs` then takes the jobs no worker has taken yet and collects the results.
 */
export function startJobs<K extends JobKind>(kind: K, jobs: JobOf<K>[], threads: number, options: JobOptions = {}): StartedJobs<K> {
  const settings: JobSettings = { layoutsDir: options.layoutsDir, layoutsHash: options.renderer?.hash, config: options.config, signing: options.signing };
  const started = { kind, jobs, settings, renderer: options.renderer, batch: batches++, counter: new Int32Array(new SharedArrayBuffer(4)), team: [] as Helper[] };
  if (threads <= 1 || jobs.length === 0) return started;
  started.team = startHelpers(threads - 1);
  early.set(started.batch, []);
  for (const helper of started.team) helper.worker.postMessage({ batch: started.batch, kind, jobs, settings, counter: started.counter.buffer as SharedArrayBuffer } satisfies WorkerBatch);
  return started;
}

/**
 * Runs the started jobs no worker has taken on this thread, then sleeps on a shared flag and reads the
 * workers' replies with `receiveMessageOnPort`: synchronous for the caller, so `buildSite` keeps its
 * API. Results are placed by job index, so the output does not depend on which thread did what.
 */
export function finishJobs<K extends JobKind>(started: StartedJobs<K>): { results: ResultOf<K>[]; byWorkers: number } {
  const { kind, jobs, settings, renderer, batch, counter: next, team } = started;
  const run = (job: JobOf<K>) => renderJob(kind, job, settings, renderer) as ResultOf<K>;
  if (team.length === 0) return { results: jobs.map(run), byWorkers: 0 };
  const results = new Array<ResultOf<K> | null | undefined>(jobs.length);
  let filled = 0;
  let byWorkers = 0;
  const take = (replies: [number, unknown][]) => {
    for (const [index, result] of replies) {
      results[index] = result as ResultOf<K> | null;
      filled++;
      byWorkers++;
    }
  };
  take(early.get(batch)!.flat());
  for (let i = Atomics.add(next, 0, 1); i < jobs.length; i = Atomics.add(next, 0, 1)) {
    // A job that fails is redone below, in job order: the error reported is the first one, as on one thread.
    try {
      results[i] = run(jobs[i]!);
    } catch {
      results[i] = null;
    }
    filled++;
  }
  let lastProgress = performance.now();
  while (filled < jobs.length && performance.now() - lastProgress < STALL_MS) {
    const seen = Atomics.load(signal, 0);
    for (const helper of team) {
      for (let message = receiveMessageOnPort(helper.port); message; message = receiveMessageOnPort(helper.port)) {
        const [from, replies] = message.message as WorkerReply;
        // Replies to jobs started later are kept for their own `finishJobs`; replies to a call that
        // gave up on its workers are of no use any more.
        if (from === batch) take(replies);
        else early.get(from)?.push(replies);
        lastProgress = performance.now();
      }
    }
    if (filled < jobs.length) Atomics.wait(signal, 0, seen, 200);
  }
  early.delete(batch);
  // Workers that took jobs and never answered are ended; the main thread redoes their jobs below.
  if (filled < jobs.length) for (const helper of team) dropHelper(helper);
  // Jobs a worker failed (or never returned) are redone here, so errors surface as in a 1-thread build.
  return { results: results.map((result, i) => result ?? run(jobs[i]!)), byWorkers };
}

/** Runs jobs across `threads` threads (this one too) and waits for all: `startJobs` then `finishJobs`. */
export function runJobs<K extends JobKind>(kind: K, jobs: JobOf<K>[], threads: number, options: JobOptions = {}): { results: ResultOf<K>[]; byWorkers: number } {
  return finishJobs(startJobs(kind, jobs, threads, options));
}


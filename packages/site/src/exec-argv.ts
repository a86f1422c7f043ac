import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The Node options a worker thread starts with: the process's own, less those that only describe how
 * the main script was given. A worker inherits them all by default, and one started under
 * `node --input-type=module -e …` then fails to load its file and never answers (the build waited
 * for it until its stall limit, 30 s).
 */
export function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
}

/**
 * A worker thread with the process's options where a worker may take them. Node refuses a worker
 * given a V8 or process-wide option (`node --trace-gc`, `--max-semi-space-size=4`): those already
 * apply to every thread, so the worker starts without any.
 */
export function startWorker(url: URL, options: WorkerOptions): Worker {
  try {
    return new Worker(url, { ...options, execArgv: workerExecArgv() });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return new Worker(url, { ...options, execArgv: [] });
  }
}

/**
 * The Node options a worker thread starts with: the process's own, less those that only describe how
 * the main script was given. A worker inherits them all by default, and one started under
 * `node --input-type=module -e …` then fails to load its file and never answers (the build waited
 * for it until its stall limit, 30 s).
 */
export function workerExecArgv(): string[] {
  return process.execArgv.filter((arg) => !arg.startsWith('--input-type'));
}

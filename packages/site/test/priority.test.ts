import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { yieldHelperThreads } from '../src/priority.js';

/** A thread's nice value, the 19th field of /proc/self/task/TID/stat (after the command in parentheses). */
function niceOf(tid: string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

describe('yieldHelperThreads', () => {
  it.runIf(process.platform === 'linux')('lowers every other thread to nice 15 and leaves the main one as it was', async () => {
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((resolve) => worker.once('online', resolve));
    try {
      const before = niceOf(String(process.pid));
      yieldHelperThreads();
      const others = readdirSync('/proc/self/task').filter((tid) => Number(tid) !== process.pid);
      expect(others.length).toBeGreaterThan(1);
      for (const tid of others) expect(niceOf(tid), `thread ${tid}`).toBe(15);
      expect(niceOf(String(process.pid))).toBe(before);
    } finally {
      await worker.terminate();
    }
  });
});

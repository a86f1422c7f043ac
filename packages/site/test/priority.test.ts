import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { buildSiteToDisk } from '../src/index.js';
import { yieldHelperThreads } from '../src/priority.js';
import { makeSite } from './site-fixture.js';

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

  it.runIf(process.platform === 'linux')('can lower the writing thread too: a build has started it when it calls onContent', () => {
    // 300 posts: past the files a build writes on its own thread (256), short of a signing worker (400).
    const root = makeSite(300);
    try {
      const before = new Set(readdirSync('/proc/self/task'));
      let started: string[] = [];
      buildSiteToDisk({ root, env: {}, diskCache: false, onContent: () => (started = readdirSync('/proc/self/task').filter((tid) => !before.has(tid))) });
      expect(started.length).toBe(1);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

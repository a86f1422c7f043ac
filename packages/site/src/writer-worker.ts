import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { WriterInit, WriteBatch } from './writer.js';

/**
 * Writes the files `writer.ts` hands over, in order, making folders as needed. After the first
 * failure nothing more is written; the failure goes back on `port` before the batch is counted as
 * done, so the main thread sees it as soon as it sees the count.
 */
const { done, port } = workerData as WriterInit & { port: MessagePort };
const counter = new Int32Array(done);
const made = new Set<string>();
let failed = false;

parentPort!.on('message', (files: WriteBatch) => {
  for (const [target, data] of files) {
    if (failed) break;
    try {
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      writeFileSync(target, data);
    } catch (error) {
      failed = true;
      const { message, code } = error as NodeJS.ErrnoException;
      port.postMessage({ message, code, path: target });
    }
  }
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});

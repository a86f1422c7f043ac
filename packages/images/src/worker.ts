/**
 * The worker thread that runs sharp for `processImagesSync`: encodes a batch of images a few at a
 * time, posts the results on the port it was given, then wakes the waiting build thread.
 */
import { parentPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { encodeImage, type EncodeTask } from './encode.js';

export interface Batch {
  tasks: EncodeTask[];
  port: MessagePort;
  signal: Int32Array;
}

// A few at a time: libvips spreads each image over the cores already, and a 24-megapixel photo
// decoded takes ~70 MB.
const AT_ONCE = Math.min(4, Math.max(2, availableParallelism()));

parentPort!.on('message', (batch: Batch) => {
  // The heartbeat the waiting thread watches (see runOnWorker).
  const beat = setInterval(() => Atomics.add(batch.signal, 1, 1), 250);
  void run(batch.tasks).finally(() => clearInterval(beat)).then(
    (results) => finish(batch, { results }),
    (error: unknown) => finish(batch, { failure: error instanceof Error ? error.message : String(error) }),
  );
});

async function run(tasks: EncodeTask[]) {
  const results = new Array<Awaited<ReturnType<typeof encodeImage>>>(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const at = next++;
      results[at] = await encodeImage(tasks[at]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(AT_ONCE, tasks.length) }, lane));
  return results;
}

function finish(batch: Batch, message: unknown): void {
  batch.port.postMessage(message);
  Atomics.store(batch.signal, 0, 1);
  Atomics.notify(batch.signal, 0);
}

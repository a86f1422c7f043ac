import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** Sent once to the writer thread: an Int32 it bumps after each batch. */
export interface WriterInit {
  done: SharedArrayBuffer;
}

/** Files to write: absolute path and contents. */
export type WriteBatch = [string, string | Uint8Array][];

export interface FileWriter {
  /** Queues a file; its folder is made as needed. */
  write(target: string, contents: string | Uint8Array): void;
  /**
   * Waits until every queued file is written, then ends the thread; throws the first write error.
   * Returns each file's size and modification time (ms, as `fs.Stats` gives them), in the order queued.
   */
  close(): Float64Array;
}

// Files go over in batches: one message per file would cost about what writing it does.
const BATCH_FILES = 64;
const BATCH_BYTES = 1 << 20;
// At most this many batches (up to 1 MiB each) wait to be written, so memory stays bounded.
const MAX_QUEUED = 32;
// A batch takes milliseconds; this long without one written means the thread is gone.
const STALL_MS = 30_000;

/**
 * Writes files on a thread of their own. Encoding, opening, writing and closing a file took about
 * 25 µs a file on the build's thread (5,000 files: 130 ms); here the build's thread only copies each
 * file's text over, and goes on making the next page.
 */
export function startWriter(): FileWriter {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('../dist/writer-worker.js', import.meta.url), {
    workerData: { done: done.buffer as SharedArrayBuffer, port: port2 } satisfies WriterInit & { port: MessagePort },
    transferList: [port2],
    // Its heap only ever holds the pages waiting to be written: a small one keeps a large site's peak
    // memory down (a default-sized one added 75 MiB at 100,000 pages).
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  // Never what keeps the process alive: `close` waits for it, synchronously.
  worker.unref();
  let batch: WriteBatch = [];
  let bytes = 0;
  let sent = 0;
  const post = () => {
    if (batch.length === 0) return;
    // Copied, not transferred: text lands on the writer's heap, where collection keeps pace with it;
    // transferred buffers waited for a collection the writer (which allocates little) seldom ran,
    // and at 100,000 pages held 90 MiB.
    worker.postMessage(batch);
    sent++;
    batch = [];
    bytes = 0;
    // A build that makes pages faster than they are written waits here rather than queue them all.
    if (sent - Atomics.load(done, 0) > MAX_QUEUED) waitUntil(MAX_QUEUED);
  };
  /** Waits until at most `queued` batches are unwritten, or the thread has written nothing for a long time. */
  const waitUntil = (queued: number) => {
    let progress = performance.now();
    for (let seen = Atomics.load(done, 0); sent - seen > queued; ) {
      Atomics.wait(done, 0, seen, 1000);
      const now = Atomics.load(done, 0);
      if (now !== seen) progress = performance.now();
      // A thread that died (out of memory, killed) counts nothing more: give up rather than wait forever.
      else if (performance.now() - progress > STALL_MS) return;
      seen = now;
    }
  };
  return {
    write(target, contents) {
      batch.push([target, contents]);
      bytes += typeof contents === 'string' ? contents.length : contents.byteLength;
      if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) post();
    },
    close() {
      post();
      worker.postMessage('report');
      sent++;
      waitUntil(0);
      let failure: { message: string; code?: string; path: string } | undefined;
      let written: Float64Array | undefined;
      for (let message = receiveMessageOnPort(port1); message; message = receiveMessageOnPort(port1)) {
        const reply = message.message as { written: Float64Array } | { message: string; code?: string; path: string };
        if ('written' in reply) written = reply.written;
        else failure ??= reply;
      }
      port1.close();
      void worker.terminate();
      if (failure) throw Object.assign(new Error(failure.message), { code: failure.code, path: failure.path });
      if (Atomics.load(done, 0) < sent || !written) throw new Error('the thread writing the output stopped before it was done');
      return written;
    },
  };
}

import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';

/** Sent once to the writer thread: an Int32 it bumps after each batch. */
export interface WriterInit {
  done: SharedArrayBuffer;
}

/** Files to write: absolute path and bytes (their buffer transferred, not copied). */
export type WriteBatch = [string, Uint8Array][];

export interface FileWriter {
  /** Queues a file; its folder is made as needed. */
  write(target: string, contents: string | Uint8Array): void;
  /** Waits until every queued file is written, then ends the thread; throws the first write error. */
  close(): void;
}

// Files go over in batches: one message per file would cost about what writing it does.
const BATCH_FILES = 64;
const BATCH_BYTES = 1 << 20;
// At most this many batches (up to 1 MiB each) wait to be written, so memory stays bounded.
const MAX_QUEUED = 32;
// A batch takes milliseconds; this long without one written means the thread is gone.
const STALL_MS = 30_000;

/**
 * Writes files on a thread of their own. Opening, writing and closing a file are system calls that
 * took about 25 µs a file on the build's thread (5,000 files: 130 ms); here the build's thread only
 * encodes each file and hands its bytes over, and goes on making the next page.
 */
export function startWriter(): FileWriter {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('../dist/writer-worker.js', import.meta.url), {
    workerData: { done: done.buffer as SharedArrayBuffer, port: port2 } satisfies WriterInit & { port: MessagePort },
    transferList: [port2],
  });
  // Never what keeps the process alive: `close` waits for it, synchronously.
  worker.unref();
  const encoder = new TextEncoder();
  let batch: WriteBatch = [];
  let bytes = 0;
  let sent = 0;
  const post = () => {
    if (batch.length === 0) return;
    worker.postMessage(batch, batch.map(([, data]) => data.buffer as ArrayBuffer));
    sent++;
    batch = [];
    bytes = 0;
    // A build that makes pages faster than they are written waits here rather than queue them all.
    for (let seen = Atomics.load(done, 0); sent - seen > MAX_QUEUED; seen = Atomics.load(done, 0)) Atomics.wait(done, 0, seen, 1000);
  };
  return {
    write(target, contents) {
      // Its own copy either way: a transferred buffer can no longer be read here.
      const data = typeof contents === 'string' ? encoder.encode(contents) : contents.slice();
      batch.push([target, data]);
      bytes += data.byteLength;
      if (batch.length >= BATCH_FILES || bytes >= BATCH_BYTES) post();
    },
    close() {
      post();
      let progress = performance.now();
      for (let seen = Atomics.load(done, 0); seen < sent; ) {
        Atomics.wait(done, 0, seen, 1000);
        const now = Atomics.load(done, 0);
        if (now !== seen) progress = performance.now();
        // A thread that died (out of memory, killed) counts nothing more: give up rather than wait forever.
        else if (performance.now() - progress > STALL_MS) break;
        seen = now;
      }
      const failure = receiveMessageOnPort(port1)?.message as { message: string; code?: string; path: string } | undefined;
      port1.close();
      void worker.terminate();
      if (failure) throw Object.assign(new Error(failure.message), { code: failure.code, path: failure.path });
      if (Atomics.load(done, 0) < sent) throw new Error('the thread writing the output stopped before it was done');
    },
  };
}

import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { startWorker } from './exec-argv.js';

/** Sent once to the writer thread: an Int32 it bumps after each batch, and the ring text is put in. */
export interface WriterInit {
  done: SharedArrayBuffer;
  ring: SharedArrayBuffer;
}

/**
 * Files to write: absolute path and contents, or absolute path and where its text is in the ring, as
 * UTF-16 (offset and length in bytes).
 */
export type WriteBatch = ([string, string | Uint8Array] | [string, number, number])[];

export interface FileWriter {
  /** Queues a file; its folder is made as needed. */
  write(target: string, contents: string | Uint8Array): void;
  /** Whether queuing `contents` now would wait for the thread to write what it has (its queue or its ring is full). */
  busy(contents: string | Uint8Array): boolean;
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
// Text goes over in memory both threads share: copying a page's text into a message and out of it
// again on the other side cost the build's thread about 10 µs a page. It goes as UTF-16, which V8
// copies out of a string at memory speed (UTF-8 took three times as long for a page with a `·` in it),
// and the writer makes the UTF-8. Space is reused once the batch that held it is written.
const RING_BYTES = 8 << 20;
const RING_MAX_TEXT = RING_BYTES / 16 / 2;

/**
 * Writes files on a thread of their own. Encoding, opening, writing and closing a file took about
 * 25 µs a file on the build's thread (5,000 files: 130 ms); here the build's thread only copies each
 * file's text over, and goes on making the next page.
 */
export function startWriter(): FileWriter {
  const done = new Int32Array(new SharedArrayBuffer(4));
  const ring = new SharedArrayBuffer(RING_BYTES);
  const bytesOf = Buffer.from(ring);
  const { port1, port2 } = new MessageChannel();
  const worker = startWorker(new URL('../dist/writer-worker.js', import.meta.url), {
    workerData: { done: done.buffer as SharedArrayBuffer, ring, port: port2 } satisfies WriterInit & { port: MessagePort },
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
  // Bytes put in the ring so far (a position that only grows: its offset is this modulo RING_BYTES),
  // and where they stood when each batch was posted: once the writer has written batch n, the ring
  // up to ends[n] may be reused.
  let head = 0;
  const ends: number[] = [];
  const reusable = () => {
    // The final 'report' message is counted too, but has no bytes in the ring.
    const written = Math.min(Atomics.load(done, 0), ends.length);
    return written === 0 ? 0 : ends[written - 1]!;
  };
  /** Where `bytes` bytes of text go in the ring: a text never wraps around its end, it starts at the beginning instead. */
  const placed = (bytes: number) => ((head % RING_BYTES) + bytes > RING_BYTES ? head + RING_BYTES - (head % RING_BYTES) : head);
  /** Whether `bytes` bytes put at `at` would overwrite some not yet written. */
  const overruns = (at: number, bytes: number) => at + bytes - reusable() > RING_BYTES;
  /** Puts `text` in the ring and returns its offset and length there. */
  const toRing = (text: string): [number, number] => {
    const most = text.length * 2;
    head = placed(most);
    if (overruns(head, most)) {
      // Space frees up only as posted batches are written: this one may hold the oldest bytes.
      post();
      waitUntil(0);
    }
    const offset = head % RING_BYTES;
    const written = bytesOf.write(text, offset, most, 'utf16le');
    head += written;
    return [offset, written];
  };
  const post = () => {
    if (batch.length === 0) return;
    // The batch (paths, and any text too large for the ring) is copied, not transferred: it lands on
    // the writer's heap, where collection keeps pace with it; transferred buffers waited for a
    // collection the writer (which allocates little) seldom ran, and at 100,000 pages held 90 MiB.
    worker.postMessage(batch);
    sent++;
    ends.push(head);
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
    busy(contents) {
      if (sent - Atomics.load(done, 0) >= MAX_QUEUED) return true;
      if (typeof contents !== 'string' || contents.length > RING_MAX_TEXT) return false;
      const most = contents.length * 2;
      return overruns(placed(most), most);
    },
    write(target, contents) {
      if (typeof contents === 'string' && contents.length <= RING_MAX_TEXT) {
        // Placed first: placing it may post the batch, and start a new one.
        const [offset, length] = toRing(contents);
        batch.push([target, offset, length]);
      } else {
        batch.push([target, contents]);
      }
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

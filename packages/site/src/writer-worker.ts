import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { WriterInit, WriteBatch } from './writer.js';

/**
 * Writes the files `writer.ts` hands over, in order, making folders as needed, and notes each one's
 * size and modification time (the build's manifest records them; the file is open here anyway).
 * After the first failure nothing more is written; the failure goes back on `port` before the batch
 * is counted as done, so the main thread sees it as soon as it sees the count. A `'report'` message
 * sends back what was written.
 */
const { done, ring, port } = workerData as WriterInit & { port: MessagePort };
const counter = new Int32Array(done);
const ringBytes = Buffer.from(ring);
// Each page of the ring is touched here first, while the build's thread is still reading content,
// so that it never waits for the kernel to map one as it copies a page in (on a virtual machine
// that can be ~13 µs a page: 8 MiB is 2,048 of them). Adding 0 changes nothing already written.
const words = new Int32Array(ring);
for (let at = 0; at < words.length; at += 1024) Atomics.add(words, at, 0);

const encoder = new TextEncoder();
let utf8 = Buffer.allocUnsafe(1 << 20);

/**
 * A text's UTF-8 from its UTF-16 in the ring, in a buffer reused for every file (each is written before
 * the next is made). Read as a string and encoded with TextEncoder (SIMD in Node): ICU's `transcode`
 * took ~4 times as long (5,000 pages of 10,000 characters: 73–170 ms against 18–29), into a new buffer
 * for each file. A lone surrogate becomes U+FFFD, as the build's thread would write it.
 */
function utf8Of(offset: number, length: number): Uint8Array {
  const text = ringBytes.toString('ucs2', offset, offset + length);
  // At most three bytes of UTF-8 a UTF-16 unit.
  if (text.length * 3 > utf8.length) utf8 = Buffer.allocUnsafe(text.length * 3);
  return utf8.subarray(0, encoder.encodeInto(text, utf8).written);
}
const made = new Set<string>();
// Size and modification time of each file written, in order: numbers only, so that 100,000 files
// take 1.6 MB here, and as much again when sent back.
let written = new Float64Array(1024);
let count = 0;
let failed = false;

function write(target: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const fd = openSync(target, 'w');
  try {
    for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
    const { size, mtimeMs } = fstatSync(fd);
    if (count * 2 === written.length) {
      const larger = new Float64Array(written.length * 2);
      larger.set(written);
      written = larger;
    }
    written[count * 2] = size;
    written[count * 2 + 1] = mtimeMs;
    count++;
  } finally {
    closeSync(fd);
  }
}

parentPort!.on('message', (files: WriteBatch | 'report') => {
  if (files === 'report') {
    port.postMessage({ written: written.subarray(0, count * 2) });
  } else {
    for (const file of files) {
      if (failed) break;
      const target = file[0];
      const data = file.length === 3 ? utf8Of(file[1], file[2]) : file[1];
      try {
        const dir = path.dirname(target);
        if (!made.has(dir)) {
          mkdirSync(dir, { recursive: true });
          made.add(dir);
        }
        write(target, data);
      } catch (error) {
        failed = true;
        const { message, code } = error as NodeJS.ErrnoException;
        port.postMessage({ message, code, path: target });
      }
    }
  }
  Atomics.add(counter, 0, 1);
  Atomics.notify(counter, 0);
});

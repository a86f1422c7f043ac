/**
 * Publishes images without what they say about where and with what they were taken: every image is
 * re-encoded upright with no metadata (GPS, EXIF, XMP, IPTC, comments, thumbnails), and images shown
 * by Markdown get AVIF, WebP and JPEG/PNG copies at a few widths. Results are cached by content hash
 * and options, so an unchanged image is never encoded twice.
 *
 * Synchronous, as the build is: sharp runs on a worker thread while the calling thread waits.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { EncodeTask } from './encode.js';
import type { ImageError, ImageJob, ImageOptions, ProcessedImage, ProcessResult } from './types.js';

export * from './types.js';
// Nothing here imports sharp or exifr: only the worker (worker.ts → encode.ts) does.
export { widthsFor } from './widths.js';

// Part of every cache key: a change to how images are encoded makes new copies.
const ENCODING_VERSION = '2';

let running: Worker | undefined;

function startWorker(): Worker {
  if (!running) {
    // sharp loaded on this thread first, so that its native library stays loaded for the process
    // whatever the worker does (sharp's advice for worker threads).
    createRequire(import.meta.url)('sharp');
    running = new Worker(new URL('../dist/worker.js', import.meta.url));
    running.unref();
  }
  return running;
}

/**
 * Each image of `jobs`, stripped and (when asked) in responsive copies, from the cache at
 * `cacheDir` or encoded now. Errors (unreadable, truncated, HEIC) are returned, never thrown.
 *
 * With `defer`, an image whose responsive copies are not in the cache comes back with its stripped
 * copy alone (made now: one full-size encode) while the copies are made on the worker in the
 * background; `pending` settles once they are in the cache, and a later call finds them there.
 */
export function processImagesSync(jobs: ImageJob[], options: ImageOptions, cacheDir: string, defer = false): ProcessResult {
  mkdirSync(cacheDir, { recursive: true });
  const index = readIndex(cacheDir);
  const optionsKey = `${ENCODING_VERSION}\0${sharpVersion()}\0${JSON.stringify(options)}`;
  const images: (ProcessedImage | ImageError | undefined)[] = [];
  const tasks: Planned[] = [];
  const later: Planned[] = [];
  const waiting = new Set<Promise<void>>();
  const plan = (at: number, file: string, contentHash: string, variants: boolean, original: boolean): Planned | undefined => {
    const key = createHash('sha256').update(`${contentHash}\0${variants}\0${original ? 'original\0' : ''}${optionsKey}`).digest('hex');
    const dir = path.join(cacheDir, key.slice(0, 2));
    const manifest = path.join(dir, `${key}.json`);
    const cached = readManifest(manifest);
    if (cached) {
      images[at] = { ...cached, source: file };
      return undefined;
    }
    mkdirSync(dir, { recursive: true });
    return { at, manifest, task: { source: file, variants, prefix: path.join(dir, key), hash: key.slice(0, 10), options, ...(original ? { original } : {}) } };
  };
  jobs.forEach((job, at) => {
    let contentHash: string;
    try {
      contentHash = hashOf(job.file, index);
    } catch (error) {
      images[at] = { source: job.file, message: `the image cannot be read (${(error as Error).message})` };
      return;
    }
    const full = plan(at, job.file, contentHash, job.variants, job.original === true);
    if (full === undefined) return;
    if (!defer || !job.variants || failed.has(full.manifest)) {
      tasks.push(full);
      return;
    }
    const running = background.get(full.manifest);
    if (running) waiting.add(running);
    else later.push(full);
    const quick = plan(at, job.file, contentHash, false, job.original === true);
    if (quick) tasks.push(quick);
  });
  if (tasks.length > 0) {
    const results = runOnWorker(tasks.map((t) => t.task));
    tasks.forEach(({ at, manifest }, i) => {
      const result = results[i]!;
      images[at] = result;
      if ('stripped' in result) writeAtomically(manifest, JSON.stringify(result));
    });
  }
  writeIndex(cacheDir, index);
  // An image that could not be read now fails the same way in the background: not started.
  const started = later.filter(({ at }) => images[at] !== undefined && 'stripped' in images[at]);
  if (started.length > 0) waiting.add(encodeLater(started));
  const done = images as (ProcessedImage | ImageError)[];
  return {
    images: done.filter((r): r is ProcessedImage => 'stripped' in r),
    errors: done.filter((r): r is ImageError => !('stripped' in r)),
    encoded: tasks.length,
    ...(waiting.size > 0 ? { pending: Promise.all(waiting).then(() => undefined) } : {}),
  };
}

interface Planned {
  at: number;
  task: EncodeTask;
  manifest: string;
}

// Background encodes by manifest, so that a rebuild while one runs does not start it again; and those
// that failed, so that they are not tried again and again (they are made in the foreground instead,
// where their error is reported).
const background = new Map<string, Promise<void>>();
const failed = new Set<string>();

/** Encodes on the worker without waiting, each result into the cache; never rejects. */
function encodeLater(planned: Planned[]): Promise<void> {
  const done = runOnWorkerLater(planned.map((p) => p.task)).then(
    (results) => {
      planned.forEach(({ manifest }, i) => {
        const result = results[i]!;
        try {
          if ('stripped' in result) writeAtomically(manifest, JSON.stringify(result));
          else failed.add(manifest);
        } catch {
          // The cache folder is gone (the site was deleted meanwhile): nothing to keep.
          failed.add(manifest);
        }
      });
    },
    () => {
      for (const { manifest } of planned) failed.add(manifest);
    },
  ).finally(() => {
    for (const { manifest } of planned) background.delete(manifest);
  });
  for (const { manifest } of planned) background.set(manifest, done);
  return done;
}

function sharpVersion(): string {
  const require = createRequire(import.meta.url);
  // sharp's exports hide its package.json: found beside its entry point, without loading sharp.
  const file = path.join(path.dirname(path.dirname(require.resolve('sharp'))), 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

/** A cached result, when every file it names is still there. */
function readManifest(file: string): ProcessedImage | undefined {
  try {
    const made = JSON.parse(readFileSync(file, 'utf8')) as ProcessedImage;
    return [made.stripped, ...made.variants].every((copy) => existsSync(copy.file)) ? made : undefined;
  } catch {
    return undefined;
  }
}

type Index = Record<string, [string, string]>;

// Hashing a 3000×2000 photo's bytes takes a few ms; a rebuild of 200 of them would read ~500 MB.
// A file's hash is kept with its size, inode and times, and read again only when one changed.
function readIndex(cacheDir: string): Index {
  try {
    return JSON.parse(readFileSync(path.join(cacheDir, 'index.json'), 'utf8')) as Index;
  } catch {
    return {};
  }
}

function writeIndex(cacheDir: string, index: Index): void {
  writeAtomically(path.join(cacheDir, 'index.json'), JSON.stringify(index));
}

function hashOf(file: string, index: Index): string {
  const stat = statSync(file, { bigint: true });
  const stamp = `${stat.size}:${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}`;
  const known = index[file];
  if (known && known[0] === stamp) return known[1];
  const hash = createHash('sha256').update(readFileSync(file)).digest('hex');
  index[file] = [stamp, hash];
  return hash;
}

function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Hands the tasks to the worker thread (started once per process) and waits for its answer. */
function runOnWorker(tasks: EncodeTask[]): (ProcessedImage | ImageError)[] {
  const worker = startWorker();
  // [0]: 1 once the answer is posted; [1]: a heartbeat the worker moves while it works. This thread
  // cannot hear a worker's `error` or `exit` while it waits, so a heartbeat that stops is how a
  // worker that failed to start or died is told from one still encoding.
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  worker.postMessage({ tasks, port: port2, signal }, [port2]);
  let beat = -1;
  let still = 0;
  while (Atomics.wait(signal, 0, 0, HEARTBEAT_MS) === 'timed-out') {
    const now = Atomics.load(signal, 1);
    still = now === beat ? still + 1 : 0;
    beat = now;
    if (still * HEARTBEAT_MS >= SILENT_MS) {
      void worker.terminate();
      running = undefined;
      port1.close();
      throw new Error(`the image worker stopped answering (no sign of it for ${SILENT_MS / 1000} s)`);
    }
  }
  const answer = receiveMessageOnPort(port1)?.message as { results?: (ProcessedImage | ImageError)[]; failure?: string } | undefined;
  port1.close();
  if (!answer?.results) throw new Error(`the image worker failed: ${answer?.failure ?? 'no answer'}`);
  return answer.results;
}

/** The same, answered by a promise: the calling thread goes on meanwhile. */
function runOnWorkerLater(tasks: EncodeTask[]): Promise<(ProcessedImage | ImageError)[]> {
  const worker = startWorker();
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve, reject) => {
    const stopped = (code: number) => {
      port1.close();
      reject(new Error(`the image worker stopped (exit code ${code})`));
    };
    worker.once('exit', stopped);
    port1.once('message', (answer: { results?: (ProcessedImage | ImageError)[]; failure?: string }) => {
      worker.off('exit', stopped);
      port1.close();
      if (answer.results) resolve(answer.results);
      else reject(new Error(`the image worker failed: ${answer.failure ?? 'no answer'}`));
    });
    // Nothing here keeps the process alive: a dev server closing does not wait for the copies.
    port1.unref();
    worker.postMessage({ tasks, port: port2, signal: new Int32Array(new SharedArrayBuffer(8)) }, [port2]);
  });
}

// The worker beats every 250 ms (sharp works on libuv's threads, so its event loop stays free).
const HEARTBEAT_MS = 1_000;
const SILENT_MS = 20_000;

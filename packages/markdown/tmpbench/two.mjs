import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { renderMarkdown } from '@signet/markdown';
import { postSource } from '../../bench/src/corpus.mjs';
function work(offset) {
  const bodies = Array.from({ length: 2000 }, (_, i) => postSource(i + offset, 'rich').replace(/^---\n[\s\S]*?\n---\n/, ''));
  const t = performance.now();
  for (const b of bodies) renderMarkdown(b, { baseUrl: 'https://bench.example/posts/x/' });
  return performance.now() - t;
}
if (isMainThread) {
  const mode = process.argv[2];
  const t0 = performance.now();
  if (mode === 'one') { console.log('one thread 2000 cold:', work(0).toFixed(0), 'then 2000 more:', work(2000).toFixed(0)); }
  else {
    const w = new Worker(new URL(import.meta.url), { workerData: 2000 });
    const p = new Promise((r) => w.on('message', r));
    const mine = work(0);
    const theirs = await p;
    console.log('main', mine.toFixed(0), 'worker', theirs.toFixed(0), 'wall', (performance.now() - t0).toFixed(0));
    w.terminate();
  }
} else parentPort.postMessage(work(workerData));

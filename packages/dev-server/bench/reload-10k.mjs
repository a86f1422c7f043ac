// Benchmark (not a test): from saving one post to the browser's reload event, in a 10,000-post site.
//   node --expose-gc packages/dev-server/bench/reload-10k.mjs [--posts 10000] [--edits 50] [--memory-edits 1000]
// Needs the built packages (npm run build:packages). Prints the median and spread of the latency,
// the buildSite steps that dominate it, and RSS/heap after GC across the memory run.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startDevServer } from '../dist/index.js';

const { values } = parseArgs({ options: { posts: { type: 'string' }, edits: { type: 'string' }, 'memory-edits': { type: 'string' } } });
const POSTS = Number(values.posts ?? 10000);
const EDITS = Number(values.edits ?? 50);
const MEMORY_EDITS = Number(values['memory-edits'] ?? 1000);
const TAGS = ['notes', 'signing', 'feeds', 'web', 'travel', 'code', 'books', 'photos'];
const root = path.join(os.tmpdir(), `signet-bench-dev-${POSTS}`);

function postText(i, version) {
  const day = new Date(Date.UTC(2000, 0, 1) + i * 86400000 / 3).toISOString().slice(0, 10);
  return `---\ntitle: Post ${i}\ndate: ${day}\ntags: [${TAGS[i % 8]}, ${TAGS[(i * 3 + 1) % 8]}]\n---\n\n` +
    `Version ${version} of post ${i}. ${'A sentence of ordinary prose for the body. '.repeat(12)}\n\n## A heading\n\n- a list\n- of items\n\n\`\`\`js\nconsole.log(${i});\n\`\`\`\n`;
}

rmSync(root, { recursive: true, force: true });
mkdirSync(path.join(root, 'content/posts'), { recursive: true });
writeFileSync(path.join(root, 'signet.config.yaml'), 'title: Bench\nurl: https://bench.example/\nauthor: Bench\n');
for (let i = 0; i < POSTS; i += 1) writeFileSync(path.join(root, `content/posts/post-${i}.md`), postText(i, 0));

/** A server-sent-events client as the browser's EventSource would be: resolves on each `reload`. */
function connect(url) {
  const waiting = [];
  return new Promise((resolve) => {
    request(new URL('/__signet/events', url), (response) => {
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith('event: hello')) resolve({ nextReload: () => new Promise((r) => waiting.push(r)), close: () => response.destroy() });
          if (block.startsWith('event: reload') || block.startsWith('event: build-error')) waiting.shift()?.(block);
        }
      });
    }).end();
  });
}

const started = performance.now();
const lines = [];
const server = await startDevServer({ root, port: 0, env: {}, out: (line) => lines.push(line), err: (line) => lines.push(line) });
console.log(`${POSTS} posts: initial build and watch ready in ${Math.round(performance.now() - started)} ms, serving ${server.files()?.size} files`);
const client = await connect(server.url);

const steps = new Map();
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
async function edit(n) {
  const i = (n * 7919) % POSTS;
  const reload = client.nextReload();
  const t = performance.now();
  writeFileSync(path.join(root, `content/posts/post-${i}.md`), postText(i, n + 1));
  const block = await reload;
  const ms = performance.now() - t;
  if (!block.startsWith('event: reload')) throw new Error(`build failed: ${block}`);
  return ms;
}

// Latency: one post saved, time to the reload event.
const times = [];
const rebuilds = [];
for (let n = 0; n < EDITS; n += 1) {
  const built = server.nextBuild();
  times.push(await edit(n));
  rebuilds.push((await built).ms);
}
const spread = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1);
  return `median ${pct(0.5)} ms, p10 ${pct(0.1)} ms, p90 ${pct(0.9)} ms`;
};
if (EDITS > 0) {
  console.log(`save → reload over ${EDITS} edits: ${spread(times)} (bar: median ≤ 100 ms)`);
  console.log(`of which the server's rebuild (buildSite, reading copied files, byte comparison): median ${median(rebuilds).toFixed(1)} ms`);
}

// Where a rebuild spends its time: run the same build the server runs, with its steps.
const { buildSite, createCache } = await import('@signet/site');
{
  // A cache of its own, dropped after this block so it does not count in the memory run below.
  // It reads only the saved file, as the server does when its watcher reports one.
  const cache = createCache();
  const listings = new Map();
  buildSite({ root, env: {}, cache, listings });
  for (let n = 0; n < 5; n += 1) {
    const file = path.join(root, `content/posts/post-${n}.md`);
    writeFileSync(file, postText(n, 1000 + n));
    const result = buildSite({ root, env: {}, cache, listings, unchanged: (other) => other !== file });
    for (const step of result.stats.steps) steps.set(step.name, [...(steps.get(step.name) ?? []), step.ms]);
  }
}
// Let the server catch up with the files written above before measuring memory.
while (await Promise.race([server.nextBuild(), new Promise((resolve) => setTimeout(resolve, 1000))]));
console.log(`one-post rebuild, buildSite steps (median of 5, ms): ${[...steps].map(([name, list]) => `${name} ${median(list).toFixed(1)}`).join(', ')}`);

// Memory: many consecutive edits; RSS and heap after a full GC, sampled along the way.
if (MEMORY_EDITS > 0) {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc for the memory part');
  const sample = (label) => {
    globalThis.gc();
    const { rss, heapUsed, external } = process.memoryUsage();
    const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
    console.log(`after ${label}: rss ${mib(rss)}, heap ${mib(heapUsed)}, external ${mib(external)}`);
  };
  sample('warm-up');
  const latencies = [];
  for (let n = 0; n < MEMORY_EDITS; n += 1) {
    const built = server.nextBuild();
    latencies.push(await edit(EDITS + n));
    await built;
    if ((n + 1) % Math.max(1, Math.floor(MEMORY_EDITS / 5)) === 0) sample(`${n + 1} edits`);
  }
  console.log(`save → reload over those ${MEMORY_EDITS} edits (GC samples included): ${spread(latencies)}`);
}

client.close();
await server.close();
rmSync(root, { recursive: true, force: true });
console.log(`last rebuild line: ${lines.at(-1)}`);

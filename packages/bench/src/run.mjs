// npm run bench [-- --sizes=1000,4000 --runs=5 --large --images --tools=signet,hugo,eleventy,floor]
// Builds generated corpora with each tool, interleaved after a warm-up, outputs on /dev/shm, and
// prints medians, ratios and peak memory. --large adds the 100,000-file corpus; --images a site of
// 200 3000×2000 photos (cold build, peak memory, no-change rebuild against Hugo's cold 4,000 posts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeCorpus } from './corpus.mjs';
import { ensureTool, median, run } from './measure.mjs';
import { imagesBench } from './images.mjs';
import { networkBench } from './network.mjs';
import { signBench } from './sign.mjs';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,4000,10000' },
    runs: { type: 'string', default: '5' },
    large: { type: 'boolean', default: false },
    images: { type: 'boolean', default: false },
    tools: { type: 'string', default: 'signet,hugo,eleventy,floor' },
    work: { type: 'string', default: '/dev/shm/signet-bench' },
    json: { type: 'string' },
  },
});
const runs = Number(flags.runs);
const tools = flags.tools.split(',');
const work = flags.work;
ensureTool('/usr/bin/time', 'time');
if (tools.includes('hugo')) ensureTool('/usr/bin/hugo', 'hugo');

const SIGNET = path.join(REPO, 'packages/cli/bin/signet.js');
const ELEVENTY = path.join(REPO, 'node_modules/@11ty/eleventy/cmd.cjs');
const FLOOR = fileURLToPath(new URL('./floor.mjs', import.meta.url));

function outDir(tool) {
  return path.join(work, 'out', tool);
}

/** One build of `corpus` by `tool`. `cold` clears the tool's output and caches first (untimed). */
function build(tool, corpus, cold) {
  const out = outDir(tool);
  if (cold) {
    rmSync(out, { recursive: true, force: true });
    rmSync(path.join(corpus, '.signet', 'cache'), { recursive: true, force: true });
  }
  switch (tool) {
    case 'signet': return run('node', [SIGNET, 'build', '--root', corpus, '--out', out]);
    case 'signet-rebuild': return run('node', [SIGNET, 'build', '--root', corpus, '--out', outDir('signet')]);
    case 'hugo': return run('hugo', ['--quiet', '--source', corpus, '--destination', out, '--cacheDir', path.join(work, 'hugo-cache')]);
    case 'eleventy': return run('node', [ELEVENTY, '--quiet', '--config=eleventy.config.mjs', `--output=${out}`], { cwd: corpus });
    case 'floor': return run('node', [FLOOR, path.join(corpus, 'content', 'posts'), out]);
    default: throw new Error(`unknown tool ${tool}`);
  }
}

/** Interleaved rounds (the order rotates each round), the first a warm-up that is not counted. */
function measure(label, corpus, jobs, rounds) {
  const samples = Object.fromEntries(jobs.map((j) => [j.name, []]));
  for (let round = 0; round <= rounds; round++) {
    const order = jobs.map((_, i) => jobs[(i + round) % jobs.length]);
    for (const job of order) {
      const result = job.run();
      if (round > 0) samples[job.name].push(result);
    }
  }
  const stats = {};
  for (const [name, list] of Object.entries(samples)) {
    stats[name] = { ms: median(list.map((r) => r.ms)), peakMiB: Math.max(...list.map((r) => r.peakMiB)), runs: list.map((r) => Math.round(r.ms)) };
  }
  const line = Object.entries(stats).map(([n, s]) => `${n} ${s.ms.toFixed(0)} ms (${s.peakMiB.toFixed(0)} MiB)`).join(' · ');
  console.log(`${label}: ${line}`);
  return stats;
}

const started = Date.now();
const machine = {
  cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.availableParallelism()}`,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  hugo: tools.includes('hugo') ? execFileSync('hugo', ['version'], { encoding: 'utf8' }).trim() : undefined,
  eleventy: JSON.parse(execFileSync('node', ['-p', `JSON.stringify(require('${path.join(REPO, 'node_modules/@11ty/eleventy/package.json')}').version)`], { encoding: 'utf8' })),
  loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
};
console.log(`machine: ${machine.cpu}, ${machine.memoryGiB} GiB, Node ${machine.node}, load ${machine.loadAverage}`);

const results = { machine, command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(), cases: [] };
const sizes = flags.sizes.split(',').map(Number);
const cases = [];
for (const size of sizes) cases.push({ size, variant: 'plain' });
if (sizes.includes(4000)) cases.push({ size: 4000, variant: 'rich' });
if (flags.large) cases.push({ size: 100_000, variant: 'plain' });

for (const { size, variant } of cases) {
  const corpus = makeCorpus(path.join(work, 'corpus', `${variant}-${size}`), size, variant);
  const rounds = size >= 100_000 ? 1 : size >= 10_000 ? Math.min(runs, 3) : runs;
  const caseTools = size >= 100_000 ? tools.filter((t) => t !== 'eleventy') : tools;
  const jobs = caseTools.map((tool) => ({ name: tool, run: () => build(tool, corpus, true) }));
  const stats = measure(`${variant} ${size} cold`, corpus, jobs, rounds);
  const entry = { size, variant, stats };
  if (tools.includes('signet') && size <= 10_000) {
    // A rebuild with nothing changed: the previous build's output and on-disk cache are in place.
    build('signet', corpus, true);
    const rebuild = measure(`${variant} ${size} no-change rebuild`, corpus, [{ name: 'signet-rebuild', run: () => build('signet-rebuild', corpus, false) }], rounds);
    entry.rebuild = rebuild['signet-rebuild'];
  }
  const s = stats.signet?.ms;
  entry.ratios = {
    'signet/hugo': s && stats.hugo ? s / stats.hugo.ms : undefined,
    'signet/eleventy': s && stats.eleventy ? s / stats.eleventy.ms : undefined,
    'signet/floor': s && stats.floor ? s / stats.floor.ms : undefined,
    'rebuild/hugo': entry.rebuild && stats.hugo ? entry.rebuild.ms / stats.hugo.ms : undefined,
  };
  entry.msPerPage = s ? s / size : undefined;
  console.log(`  ratios: ${Object.entries(entry.ratios).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(' · ')}`);
  results.cases.push(entry);
}

if (flags.large) {
  const small = results.cases.find((c) => c.size === 1000 && c.variant === 'plain');
  const large = results.cases.find((c) => c.size === 100_000);
  if (small?.msPerPage && large?.msPerPage) {
    results.scaling = large.msPerPage / small.msPerPage;
    console.log(`time per page, 100,000 vs 1,000: ${results.scaling.toFixed(2)}× (peak ${large.stats.signet.peakMiB.toFixed(0)} MiB)`);
  }
}

if (flags.images) {
  results.images = await imagesBench({ work });
  const hugo = results.cases.find((c) => c.size === 4000 && c.variant === 'plain')?.stats.hugo?.ms;
  if (hugo) {
    results.images.rebuildPerHugo4000 = results.images.noChangeRebuild.ms / hugo;
    console.log(`  no-change rebuild with the photos / Hugo's cold 4,000 posts: ${results.images.rebuildPerHugo4000.toFixed(2)}`);
  }
}

const sign = signBench();
results.signing10k = sign;
console.log(`signing 10,000 envelopes: median ${sign.ms.toFixed(0)} ms`);
results.network = await networkBench({ work });
results.seconds = Math.round((Date.now() - started) / 1000);
const file = flags.json ?? path.join(REPO, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`done in ${results.seconds} s; figures in ${path.relative(REPO, file)}`);

// node src/network.mjs [--hosts=50 --feeds-per-host=20 --items=20 --runs=3]
// `signet fetch` of 1,000 followed feeds of 20 items from local servers: a cold fetch (empty store),
// then one where every feed answers 304, each with its peak memory; then the build's extra time for
// the network pages (the same site built with and without following.opml, interleaved, cold).
// Targets: cold fetch ≤ 10 s, all-304 fetch ≤ 3 s, build extra ≤ 0.5 s, fetch memory ≤ 300 MB.
import { spawn } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeCorpus } from './corpus.mjs';
import { median, run } from './measure.mjs';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SIGNET = path.join(REPO, 'packages/cli/bin/signet.js');
const SERVER = fileURLToPath(new URL('./network-server.mjs', import.meta.url));

export async function networkBench({ hosts = 50, feedsPerHost = 20, items = 20, runs = 3, work = '/dev/shm/signet-bench' } = {}) {
  const server = spawn(process.execPath, [SERVER, String(hosts), String(feedsPerHost), String(items)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const urls = await new Promise((resolve, reject) => {
      let text = '';
      server.stdout.on('data', (d) => {
        text += d;
        if (text.includes('\n')) resolve(JSON.parse(text.slice(0, text.indexOf('\n'))));
      });
      server.on('exit', (code) => reject(new Error(`the feed server stopped (exit ${code})`)));
    });
    const site = makeCorpus(path.join(work, 'corpus', 'network-1000'), 1000, 'plain');
    const opml = path.join(site, 'following.opml');
    const aside = path.join(site, 'following.opml.aside');
    writeFileSync(opml, `<?xml version="1.0" encoding="utf-8"?>\n<opml version="2.0">\n  <head>\n    <title>Following</title>\n  </head>\n  <body>\n${urls.map((u) => `    <outline type="rss" text="${u}" xmlUrl="${u}"/>`).join('\n')}\n  </body>\n</opml>\n`);
    const fetch = () => run('node', [SIGNET, 'fetch', '--allow-private-network', '--root', site]);
    const colds = [];
    const warms = [];
    for (let i = 0; i < runs; i++) {
      rmSync(path.join(site, '.signet', 'network'), { recursive: true, force: true });
      colds.push(fetch());
      warms.push(fetch());
    }
    const said = (r) => /Fetched .*$/m.exec(r.stdout)?.[0] ?? '';
    const summary = `cold: ${said(colds.at(-1))}\n  all-304: ${said(warms.at(-1))}`;
    const out = path.join(work, 'out', 'network');
    const build = (withNetwork) => {
      if (!withNetwork) renameSync(opml, aside);
      try {
        rmSync(out, { recursive: true, force: true });
        rmSync(path.join(site, '.signet', 'cache'), { recursive: true, force: true });
        return run('node', [SIGNET, 'build', '--root', site, '--out', out]);
      } finally {
        if (!withNetwork) renameSync(aside, opml);
      }
    };
    build(true); // warm-up
    const withNet = [];
    const without = [];
    for (let i = 0; i < runs; i++) {
      without.push(build(false).ms);
      withNet.push(build(true).ms);
    }
    const result = {
      feeds: urls.length, items: urls.length * items,
      coldFetchMs: median(colds.map((r) => r.ms)), coldFetchPeakMiB: Math.max(...colds.map((r) => r.peakMiB)),
      all304FetchMs: median(warms.map((r) => r.ms)), all304FetchPeakMiB: Math.max(...warms.map((r) => r.peakMiB)),
      buildMs: median(without), buildWithNetworkMs: median(withNet), buildExtraMs: median(withNet) - median(without),
      lastFetches: summary,
    };
    console.log(`network: ${result.feeds} feeds, ${result.items} items · cold fetch ${result.coldFetchMs.toFixed(0)} ms (${result.coldFetchPeakMiB.toFixed(0)} MiB) · all-304 fetch ${result.all304FetchMs.toFixed(0)} ms (${result.all304FetchPeakMiB.toFixed(0)} MiB) · build ${result.buildMs.toFixed(0)} → ${result.buildWithNetworkMs.toFixed(0)} ms (extra ${result.buildExtraMs.toFixed(0)} ms)`);
    console.log(`  ${summary}`);
    return result;
  } finally {
    server.kill();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { hosts: { type: 'string', default: '50' }, 'feeds-per-host': { type: 'string', default: '20' }, items: { type: 'string', default: '20' }, runs: { type: 'string', default: '3' }, work: { type: 'string', default: '/dev/shm/signet-bench' } } });
  mkdirSync(values.work, { recursive: true });
  await networkBench({ hosts: Number(values.hosts), feedsPerHost: Number(values['feeds-per-host']), items: Number(values.items), runs: Number(values.runs), work: values.work });
}

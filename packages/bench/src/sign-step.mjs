// The signing step of a real cold build of 10,000 plain posts (`stats.steps`), on one thread and on
// two: what a writer waits for, envelopes and all, rather than bare Ed25519 calls.
// Usage: node packages/bench/src/sign-step.mjs [--posts 10000] [--rounds 3]
import { parseArgs } from 'node:util';
import { buildSite } from '@signet/site';
import { makeCorpus } from './corpus.mjs';

const { values } = parseArgs({ options: { posts: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '3' } } });
const root = `/dev/shm/signet-bench/sign-step-${values.posts}`;
makeCorpus(root, Number(values.posts), 'plain');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const threads of [1, 2]) {
  const times = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    const result = buildSite({ root, diskCache: false, threads });
    times.push(result.stats.steps.find((step) => step.name === 'sign').ms);
  }
  console.log(`sign step, ${values.posts} posts, ${threads} thread(s): median ${Math.round(median(times))} ms (${times.map((t) => Math.round(t)).join(', ')})`);
}

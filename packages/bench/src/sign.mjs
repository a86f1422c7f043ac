// Signs 10,000 envelopes of a 1 KB post each, as a build does (JCS, SHA-256, Ed25519 via node:crypto).
// The bar from the signing issue: under 0.5 s.
import { signEnvelope } from '@signet/sign';
import { nodeSha256, nodeSign } from '@signet/sign/node';
import { renderMarkdown } from '@signet/markdown';
import { postSource } from './corpus.mjs';
import { median } from './measure.mjs';

export function signBench(rounds = 5) {
  const seed = new Uint8Array(32).fill(7);
  const items = Array.from({ length: 10_000 }, (_, i) => {
    const html = renderMarkdown(postSource(i % 200, 'plain').replace(/^---[\s\S]*?---\n/, '')).html;
    return {
      id: `https://bench.example/posts/post-${i}/`,
      url: `https://bench.example/posts/post-${i}/`,
      title: `Post number ${i}`,
      content_html: html,
      date_published: '2026-01-05T10:00:00Z',
      authors: [{ name: 'Bench' }],
      tags: ['notes', 'travel'],
      language: 'en',
    };
  });
  const times = [];
  for (let round = 0; round <= rounds; round++) {
    const start = performance.now();
    for (const item of items) signEnvelope(item, { seed, verificationMethod: 'did:web:bench.example#key-1', created: item.date_published, sign: nodeSign, sha256: nodeSha256 });
    if (round > 0) times.push(performance.now() - start); // round 0 warms up
  }
  return { ms: median(times), times };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { ms, times } = signBench();
  console.log(`signing 10,000 envelopes: median ${ms.toFixed(0)} ms (${times.map((t) => t.toFixed(0)).join(', ')})`);
}

// Per-file cost of renderMarkdown over the bench corpus (plain and rich), after a warm-up.
// Usage: node packages/markdown/bench/per-file.mjs [--files 2000] [--rounds 5]
import { renderMarkdown } from '@signet/markdown';
import { postSource } from '../../bench/src/corpus.mjs';

const arg = (name, fallback) => {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  const i = process.argv.indexOf(`--${name}`);
  return Number(hit ? hit.split('=')[1] : i >= 0 ? process.argv[i + 1] : fallback);
};
const files = arg('files', 2000);
const rounds = arg('rounds', 5);

for (const variant of ['plain', 'rich']) {
  // The body only: front matter is @signet/content's part of the work.
  const bodies = Array.from({ length: files }, (_, i) => postSource(i, variant).replace(/^---\n[\s\S]*?\n---\n/, ''));
  for (const body of bodies.slice(0, 200)) renderMarkdown(body, { baseUrl: 'https://bench.example/posts/x/' });
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (const body of bodies) renderMarkdown(body, { baseUrl: 'https://bench.example/posts/x/' });
    times.push((performance.now() - start) / files);
  }
  times.sort((a, b) => a - b);
  console.log(`${variant}: median ${times[Math.floor(rounds / 2)].toFixed(3)} ms/file (${times.map((t) => t.toFixed(3)).join(', ')})`);
}

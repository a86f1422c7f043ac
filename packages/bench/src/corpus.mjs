// Deterministic corpora in the shape of the public Markdown build benchmark: one file per post, a
// five-word title, three lorem-ipsum paragraphs (about 150 words, 1 KB). The "rich" variant adds a
// heading, a list, a fenced code block, a table, a footnote and a link to every file.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const WORDS = ('lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore ' +
  'magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo consequat duis ' +
  'aute irure in reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non ' +
  'proident sunt culpa qui officia deserunt mollit anim id est laborum').split(' ');
const TAGS = ['notes', 'travel', 'code', 'books', 'music', 'garden', 'food', 'photos', 'essays', 'links', 'web', 'science'];
const CORPUS_VERSION = '2';

/** mulberry32: a tiny seeded generator, so every run makes the same bytes. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function words(next, count) {
  return Array.from({ length: count }, () => WORDS[Math.floor(next() * WORDS.length)]);
}

function sentence(next, count) {
  const w = words(next, count).join(' ');
  return `${w[0].toUpperCase()}${w.slice(1)}.`;
}

function paragraph(next) {
  return [sentence(next, 12), sentence(next, 14), sentence(next, 11), sentence(next, 13)].join(' ');
}

function rich(next, i) {
  const [a, b, c] = words(next, 3);
  return [
    `## Section ${a} ${b}`,
    `- ${sentence(next, 4)}\n- ${sentence(next, 5)}\n- ${sentence(next, 3)}`,
    '```js\nfunction ' + `${a}${i}(value) {\n  return value * ${i % 97} + '${b}';\n}\n` + '```',
    `| Name | Count |\n| --- | ---: |\n| ${a} | ${i % 13} |\n| ${c} | ${i % 7} |`,
    `A claim with a footnote.[^1] See [the ${b} page](https://example.com/${c}/${i}).`,
    `[^1]: ${sentence(next, 6)}`,
  ].join('\n\n');
}

/** The Markdown of post `i` (0-based). */
export function postSource(i, variant) {
  const next = random(i * 2654435761 + (variant === 'rich' ? 7 : 1));
  const title = words(next, 5).join(' ');
  // Half an hour apart from 2020: even 100,000 posts end in 2025, so none is held back as future.
  const date = new Date(Date.UTC(2020, 0, 1) + i * 1_800_000).toISOString().slice(0, 19) + 'Z';
  const tags = [TAGS[i % TAGS.length], TAGS[(i * 7 + 3) % TAGS.length]];
  const body = [paragraph(next), paragraph(next), paragraph(next)];
  if (variant === 'rich') body.splice(1, 0, rich(next, i));
  return `---\ntitle: ${title}\ndate: ${date}\ntags: [${[...new Set(tags)].join(', ')}]\n---\n\n${body.join('\n\n')}\n`;
}

const SIGNET_CONFIG = `title: Bench
url: https://bench.example/
language: en
description: A generated benchmark corpus.
author: Bench
permalink: /posts/:slug/
postsPerPage: 10
feed:
  items: 20
`;

// Hugo's normal build: pages, paginated home and tag lists, RSS, sitemap; minimal templates.
const HUGO_CONFIG = `baseURL = "https://bench.example/"
title = "Bench"
languageCode = "en"
paginate = 10
[markup.goldmark.renderer]
unsafe = false
`;
const HUGO_SINGLE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n';
const HUGO_LIST = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body><h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}</article>{{ end }}</body></html>\n';

// Eleventy with a minimal config: the Markdown files become pages, nothing more.
const ELEVENTY_CONFIG = `export default function () {
  return { dir: { input: 'content', output: '_site' } };
}
`;

/**
 * Writes (or reuses) a corpus folder that all three generators build: `content/posts/*.md` plus each
 * generator's config. A `.corpus` stamp says what is there, so an existing corpus is reused as is.
 */
export function makeCorpus(dir, size, variant) {
  const stamp = `${CORPUS_VERSION} ${variant} ${size}`;
  const stampFile = path.join(dir, '.corpus');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return dir;
  rmSync(dir, { recursive: true, force: true });
  const posts = path.join(dir, 'content', 'posts');
  mkdirSync(posts, { recursive: true });
  for (let i = 0; i < size; i++) writeFileSync(path.join(posts, `post-${String(i).padStart(6, '0')}.md`), postSource(i, variant));
  writeFileSync(path.join(dir, 'signet.config.yaml'), SIGNET_CONFIG);
  writeFileSync(path.join(dir, 'hugo.toml'), HUGO_CONFIG);
  mkdirSync(path.join(dir, 'layouts', '_default'), { recursive: true });
  writeFileSync(path.join(dir, 'layouts', '_default', 'single.html'), HUGO_SINGLE);
  writeFileSync(path.join(dir, 'layouts', '_default', 'list.html'), HUGO_LIST);
  writeFileSync(path.join(dir, 'eleventy.config.mjs'), ELEVENTY_CONFIG);
  writeFileSync(stampFile, stamp);
  return dir;
}

if (process.argv.includes('--check')) {
  // Same input, same bytes: the corpus must not depend on the clock or on chance.
  for (const variant of ['plain', 'rich']) {
    const a = postSource(1234, variant);
    if (a !== postSource(1234, variant)) throw new Error(`${variant}: not deterministic`);
    console.log(`${variant}: ${Buffer.byteLength(a)} bytes, ${a.split(/\s+/).length} words`);
  }
  console.log(postSource(3, 'rich'));
}

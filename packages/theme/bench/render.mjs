// Time per page of the theme's post and list layouts: compiled (what builds use) and through LiquidJS.
// Usage: node packages/theme/bench/render.mjs [--pages 2000]
import { parseArgs } from 'node:util';
import { Liquid } from 'liquidjs';
import { compileLayout } from '../dist/compile.js';
import { THEME_LAYOUTS } from '../dist/index.js';

const { values } = parseArgs({ options: { pages: { type: 'string', default: '2000' } } });
const pages = Number(values.pages);
const engine = new Liquid({ root: [THEME_LAYOUTS], layouts: [THEME_LAYOUTS], partials: [THEME_LAYOUTS], extname: '.liquid', outputEscape: 'escape', cache: true, strictFilters: true, timezoneOffset: 0 });
const site = { title: 'Bench', base: '/', language: 'en', host: 'bench.example', didDocumentPath: '/.well-known/did.json', badgeScript: 'assets/badge.js', author: { name: 'Ada' }, feeds: { rss: '/feed.xml', atom: '/atom.xml', json: '/feed.json' }, menu: [{ path: '/about/', title: 'About' }] };
const feeds = [{ type: 'application/rss+xml', title: 'Bench', url: '/feed.xml' }, { type: 'application/atom+xml', title: 'Bench', url: '/atom.xml' }, { type: 'application/feed+json', title: 'Bench', url: '/feed.json' }];
const content = (i) => `<p>Paragraph ${i} with <em>emphasis</em> &amp; a <a href="/x/">link</a>.</p>\n`.repeat(3);
const post = (i) => ({ title: `Post number ${i}`, path: `/posts/p${i}/`, url: `https://bench.example/posts/p${i}/`, date: '2024-01-02T03:04:05Z', dateText: '2 January 2024', summary: `Summary of post ${i}.`, content: content(i), author: 'Ada', tags: [{ name: 'notes', path: '/tags/notes/' }, { name: 'books', path: '/tags/books/' }] });
const data = {
  post: (i) => ({ site, page: { ...post(i), kind: 'post', description: `Summary of post ${i}.`, language: 'en', feeds, envelopeJson: `{"id":"https://bench.example/posts/p${i}/","proof":{"proofValue":"z${'a'.repeat(86)}"}}` } }),
  list: (i) => ({ site, page: { kind: 'tag', title: '#notes', heading: 'Posts tagged #notes', url: 'https://bench.example/tags/notes/', feeds }, posts: Array.from({ length: 10 }, (_, k) => post(i * 10 + k)), pagination: { page: 2, pages: 40, newer: '/tags/notes/', older: '/tags/notes/page/3/' } }),
};
for (const layout of ['post', 'list']) {
  const inputs = Array.from({ length: pages }, (_, i) => data[layout](i));
  const compiled = compileLayout(engine, layout);
  const ways = [['compiled', (d) => compiled(d)], ['LiquidJS', (d) => engine.renderFileSync(layout, d)]];
  for (const [, render] of ways) for (const d of inputs.slice(0, 200)) render(d);
  for (const [name, render] of ways) {
    const start = performance.now();
    for (const d of inputs) render(d);
    console.log(`${layout}, ${name}: ${(((performance.now() - start) / pages) * 1000).toFixed(1)} µs a page`);
  }
}

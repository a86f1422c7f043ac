import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySite, readTree, REPO, signet, type Run } from '../helpers/site.js';

/**
 * What a user moving from Hugo, Eleventy or Astro expects of a built blog: excerpts, reading time and
 * the rest, checked on a copy of examples/blog built with the installed `signet`.
 */
let root: string;
let run: Run;
let files: Map<string, Buffer>;
const page = (name: string) => files.get(name)?.toString('utf8') ?? '';
const text = (html: string) => html.replace(/<[^>]*>/g, '').replace(/&#39;/g, "'").replace(/&quot;|&#34;/g, '"').replace(/&amp;/g, '&');

/** What a layout's `{{ value }}` prints. */
const liquidEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

beforeAll(() => {
  root = copySite(path.join(REPO, 'examples/blog'));
  run = signet(['build'], root);
  files = run.status === 0 ? readTree(path.join(root, 'dist')) : new Map();
}, 120_000);

describe('a built examples/blog', () => {
  it('builds', () => {
    expect(run.status, run.stderr).toBe(0);
  });

  it('lists each post with its excerpt: the summary, else the part before <!--more-->, else the first paragraph, as the feeds do', () => {
    const listed = new Map<string, string>();
    for (const name of ['index.html', 'page/2/index.html', 'page/3/index.html']) {
      for (const [, href, excerpt] of page(name).matchAll(/<h2><a href="([^"]+)">[\s\S]*?<p class="p-summary">([^<]*)<\/p>/g)) listed.set(href!, text(excerpt!));
    }
    // From the front matter's summary.
    expect(listed.get('/2026/a-year-of-walking-notes/')).toBe("Twelve months of walks added up, and what the numbers did and didn't tell me.");
    // The part before <!--more-->: two sentences, not cut, not the rest of the post.
    const more = listed.get('/2025/a-feed-reader-is-enough/')!;
    expect(more).toMatch(/^People sometimes ask how to "follow" this site.*no one deciding what you see but you\.$/);
    // The first paragraph, cut between words near 300 characters.
    const rye = listed.get('/2026/rye-and-patience/')!;
    expect(rye.length).toBeLessThanOrEqual(300);
    expect(rye.startsWith("Rye dough doesn't behave like wheat dough.")).toBe(true);
    // The feeds show the same text for each post.
    const feed = JSON.parse(page('feed.json')) as { items: { url: string; summary?: string; content_html: string }[] };
    const rss = page('feed.xml');
    for (const [href, excerpt] of listed) {
      expect(rss, href).toContain(`<description>${excerpt.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/&/g, '&amp;')}</description>`);
    }
    // The part before <!--more--> is the post's summary everywhere, signed with it.
    expect(feed.items.find((item) => item.url.endsWith('/2025/a-feed-reader-is-enough/'))?.summary).toBe(more);
    expect(page('2025/a-feed-reader-is-enough/index.html')).toContain(`<meta name="description" content="${liquidEscape(more)}">`);
  });

  it('shows each post\'s reading time, its words ÷ 230 rounded', () => {
    const hub = page('2025/hub-gears/index.html');
    const body = hub.slice(hub.indexOf('<div class="e-content">'), hub.indexOf('</div>\n<footer>'));
    const words = text(body).replace(/#/g, ' ').split(/\s+/).filter(Boolean).length;
    const minutes = Number(/(\d+) min read/.exec(hub)?.[1]);
    expect(minutes).toBe(Math.max(1, Math.round(words / 230)));
    expect(page('2026/rye-and-patience/index.html')).toMatch(/· 1 min read/);
  });

  it('gives each page Open Graph, a Twitter card and JSON-LD that parses and names the post', () => {
    const meta = (html: string, property: string) => [...html.matchAll(new RegExp(`<meta (?:property|name)="${property}" content="([^"]*)">`, 'g'))].map((m) => text(m[1]!));
    const ld = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
    const raleigh = page('2025/an-old-raleigh/index.html');
    expect(meta(raleigh, 'og:type')).toEqual(['article']);
    expect(meta(raleigh, 'og:title')).toEqual(['A 1978 Raleigh for the price of a sandwich']);
    expect(meta(raleigh, 'og:description')).toEqual(['A rusty three-speed from a house clearance, and the first weekend of getting it to roll.']);
    expect(meta(raleigh, 'description')).toEqual(meta(raleigh, 'og:description'));
    expect(meta(raleigh, 'og:url')).toEqual(['https://field-notes.example/2025/an-old-raleigh/']);
    // The post's own image, from its front matter, as an absolute URL that is in the output.
    expect(meta(raleigh, 'og:image')).toEqual(['https://field-notes.example/2025/an-old-raleigh/sketch.png']);
    expect(files.has('2025/an-old-raleigh/sketch.png')).toBe(true);
    expect(meta(raleigh, 'article:published_time')).toEqual(['2025-05-18T00:00:00Z']);
    expect(meta(raleigh, 'article:tag')).toEqual(['bicycle', 'repair']);
    expect(meta(raleigh, 'twitter:card')).toEqual(['summary_large_image']);
    const [posting] = ld(raleigh);
    expect(posting).toEqual({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: 'A 1978 Raleigh for the price of a sandwich',
      url: 'https://field-notes.example/2025/an-old-raleigh/',
      mainEntityOfPage: 'https://field-notes.example/2025/an-old-raleigh/',
      datePublished: '2025-05-18T00:00:00Z',
      dateModified: '2025-05-18T00:00:00Z',
      author: { '@type': 'Person', name: 'Wren Alder', url: 'https://field-notes.example/' },
      publisher: { '@type': 'Person', name: 'Wren Alder', url: 'https://field-notes.example/' },
      inLanguage: 'en',
      description: 'A rusty three-speed from a house clearance, and the first weekend of getting it to roll.',
      image: 'https://field-notes.example/2025/an-old-raleigh/sketch.png',
      keywords: ['bicycle', 'repair'],
    });
    // A post without an image of its own shows the site's, from the config's `image`.
    const rye = page('2026/rye-and-patience/index.html');
    expect(meta(rye, 'og:image')).toEqual(['https://field-notes.example/images/palette.svg']);
    expect(ld(rye)[0]?.image).toBe('https://field-notes.example/images/palette.svg');
    // Without a summary, the description is the excerpt the listings show.
    expect(meta(rye, 'description')[0]).toMatch(/^Rye dough doesn't behave like wheat dough\./);
    // The home page: a website, named in JSON-LD as a WebSite; other pages carry no JSON-LD of their own.
    const home = page('index.html');
    expect(meta(home, 'og:type')).toEqual(['website']);
    expect(ld(home)).toEqual([{ '@context': 'https://schema.org', '@type': 'WebSite', name: 'Field Notes', url: 'https://field-notes.example/', description: 'Walking, bread, old bicycles and the small craft of keeping a website, written down by Wren Alder.', inLanguage: 'en', author: { '@type': 'Person', name: 'Wren Alder', url: 'https://field-notes.example/' } }]);
    expect(ld(page('page/2/index.html'))).toEqual([]);
    expect(meta(page('about/index.html'), 'og:type')).toEqual(['website']);
    expect(meta(page('tags/bread/index.html'), 'og:title')).toEqual(['#bread']);
    // None of it is inside the signed content.
    expect(raleigh.slice(raleigh.indexOf('<div class="e-content">'))).not.toMatch(/og:|ld\+json/);
  });

  it('links the icon from static/favicon.svg from every page, and names it in the feeds', () => {
    expect(files.has('favicon.svg')).toBe(true);
    for (const name of ['index.html', '2025/an-old-raleigh/index.html', 'about/index.html', 'tags/index.html', '404.html', 'tags/bread/index.html']) {
      expect(page(name), name).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
      expect(page(name), name).toContain('<link rel="apple-touch-icon" href="/favicon.svg">');
    }
    const feed = JSON.parse(page('feed.json')) as { icon?: string; favicon?: string };
    expect([feed.icon, feed.favicon]).toEqual(['https://field-notes.example/favicon.svg', 'https://field-notes.example/favicon.svg']);
    expect(page('atom.xml')).toContain('<icon>https://field-notes.example/favicon.svg</icon>');
    expect(page('tags/bread/atom.xml')).toContain('<icon>https://field-notes.example/favicon.svg</icon>');
  });

  it('links each post to the older and newer one, outside its signed content', () => {
    const links = (html: string) => ({
      prev: /<a rel="prev" href="([^"]+)">/.exec(html)?.[1],
      next: /<a rel="next" href="([^"]+)">/.exec(html)?.[1],
    });
    // Newest first on the home page: each post's "next" is the one listed before it.
    const order = [...page('index.html').matchAll(/<h2><a href="([^"]+)">/g)].map((m) => m[1]!);
    expect(links(page('2026/truing-a-wheel/index.html'))).toEqual({ prev: order[2], next: order[0] });
    // The newest has no newer post.
    expect(links(page(`${order[0]!.slice(1)}index.html`)).next).toBeUndefined();
    const raleigh = page('2025/an-old-raleigh/index.html');
    expect(raleigh.indexOf('class="post-nav"')).toBeGreaterThan(raleigh.indexOf('</article>'));
  });

  it('lists every post by year at /archive/, linked from every page', () => {
    const archive = page('archive/index.html');
    const years = [...archive.matchAll(/<h2>(\d{4})<\/h2>/g)].map((m) => m[1]);
    expect(years).toEqual(['2026', '2025']);
    const listed = [...archive.matchAll(/<a href="(\/\d{4}\/[^"]+)">/g)].map((m) => m[1]);
    const posts = JSON.parse(page('feed.json')) as { items: { url: string }[] };
    expect(listed.sort()).toEqual(posts.items.map((item) => new URL(item.url).pathname).sort());
    expect(archive.indexOf('/2026/')).toBeLessThan(archive.indexOf('/2025/'));
    expect(page('index.html')).toContain('<a href="/archive/">Archive</a>');
    expect(page('sitemap.xml')).toContain('<loc>https://field-notes.example/archive/</loc>');
  });

  it('shows a table of contents from the headings with ids on a post with toc: true, and none on others', () => {
    const hub = page('2025/hub-gears/index.html');
    const toc = /<nav class="toc" aria-label="Contents">([\s\S]*?)<\/nav>/.exec(hub)?.[1] ?? '';
    const entries = [...toc.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(entries).toEqual([['how-it-works', 'How it works'], ['what-i-found', 'What I found']]);
    for (const [id] of entries) expect(hub).toContain(`id="${id}"`);
    expect(hub.indexOf('class="toc"')).toBeLessThan(hub.indexOf('<div class="e-content">'));
    expect(page('2025/a-feed-reader-is-enough/index.html')).not.toContain('class="toc"');
  });
});

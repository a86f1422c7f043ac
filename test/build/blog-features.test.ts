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
});


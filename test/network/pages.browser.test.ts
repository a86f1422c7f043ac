import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { verifyEnvelope } from '@signet/verify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { makeSite, MINIMAL_CONFIG, readTree, signet } from '../helpers/site.js';
import { serveFolder, signedSite, signetAsync, type Served } from './sites.js';

const OPEN = '--allow-private-network';
// What a hostile feed puts where a page shows text or links.
const EVIL = [
  `<script>window.__xss = 'title script'</script>`,
  `"><img src=x onerror="window.__xss = 'attribute'">`,
  `</script><script>window.__xss = 'script close'</script>`,
  `<svg onload="window.__xss = 'svg'"></svg>`,
];
const x = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const EVIL_RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>${x(EVIL[0]!)}</title><link>javascript:window.__xss='site link'</link><description>${x(EVIL[1]!)}</description>
${EVIL.map((e, i) => `<item><title>${x(e)}</title><link>${i === 0 ? "javascript:window.__xss='item link'" : `http://evil.example/${i}"onmouseover="window.__xss=1`}</link><guid>evil-${i}</guid><pubDate>Mon, 0${i + 1} Dec 2026 00:00:00 GMT</pubDate><description>${x(`<p>Read <a href="javascript:window.__xss='summary link'">this</a>${e}<style>body{display:none}</style><img src="http://127.0.0.1:1/tracker.png"></p>`)}</description></item>`).join('\n')}
<item><title>data link</title><link>data:text/html,&lt;script&gt;window.__xss=1&lt;/script&gt;</link><guid>evil-data</guid></item>
</channel></rss>`;
const EVIL_JSON = JSON.stringify({
  version: 'https://jsonfeed.org/version/1.1', title: EVIL[2], home_page_url: 'http://evil.example/',
  items: EVIL.map((e, i) => ({ id: `j${i}`, url: `http://evil.example/j${i}?q=<b>`, title: e, content_html: e, date_published: `2026-11-2${i}T00:00:00Z` })),
});

let alice: Served, evil: Served, reader: string, dist: Served, browser: Browser | undefined;

beforeAll(async () => {
  alice = await signedSite('Alice');
  evil = await serveFolder(makeSite({}));
  evil.routes.set('/rss.xml', EVIL_RSS);
  evil.routes.set('/feed.json', EVIL_JSON);
  reader = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/a.md': '---\ntitle: Mine\ndate: 2026-11-01\n---\n\nMine.\n' });
  for (const url of [`${alice.origin}/`, `${evil.origin}/rss.xml`, `${evil.origin}/feed.json`]) expect((await signetAsync(['follow', url, OPEN], reader)).status).toBe(0);
  expect((await signetAsync(['fetch', OPEN], reader)).status).toBe(0);
  const built = signet(['build'], reader);
  expect([built.status, built.stderr]).toEqual([0, expect.not.stringMatching(/error|warning/)]);
  dist = await serveFolder(reader);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([alice, evil, dist].map((s) => s?.close()));
});

describe('the network pages', () => {
  it('publish the blogroll, link it from every page, and list the followed sites', () => {
    const blogroll = readFileSync(path.join(reader, 'dist/blogroll.opml'), 'utf8');
    expect(readFileSync(path.join(reader, 'dist/.well-known/recommendations.opml'), 'utf8')).toBe(blogroll);
    expect(blogroll).toContain(`xmlUrl="${alice.origin}/feed.json"`);
    for (const page of ['index.html', 'posts/a/index.html', 'tags/index.html', 'network/index.html', 'following/index.html']) {
      expect(readFileSync(path.join(reader, 'dist', page), 'utf8')).toContain('<link rel="blogroll" type="text/xml" title="Blogroll" href="/blogroll.opml">');
    }
    const following = readFileSync(path.join(reader, 'dist/following/index.html'), 'utf8');
    expect(following).toContain(`posts signed by ${alice.host}`);
    expect(following).toContain('posts unsigned');
  });

  it('shows each post as text with its mark, and carries the original envelopes unchanged in its feeds', async () => {
    const html = readFileSync(path.join(reader, 'dist/network/index.html'), 'utf8');
    expect(html).toContain('Alice post 2');
    expect(html).toContain(`signed by ${alice.host}`);
    expect(html).toMatch(/mark-unsigned/);
    expect(html).not.toMatch(/<script>window|<img|<svg|<style|javascript:|data:text|onerror=|onload=|tracker\.png/i);
    const feed = JSON.parse(readFileSync(path.join(reader, 'dist/network/feed.json'), 'utf8')) as { items: { url: string; _signed?: { envelope: unknown } }[] };
    const published = JSON.parse(readFileSync(path.join(alice.root, 'dist/feed.json'), 'utf8')) as { items: { url: string; _signed: { envelope: unknown } }[] };
    const signed = feed.items.filter((i) => i._signed);
    expect(signed.map((i) => i._signed!.envelope)).toEqual(published.items.map((i) => i._signed.envelope));
    for (const item of signed) expect((await verifyEnvelope(item._signed!.envelope, { allowHttpLoopback: true })).status).toBe('verified');
    const rss = readFileSync(path.join(reader, 'dist/network/feed.xml'), 'utf8');
    expect(rss.match(/<signet:envelope>/g)).toHaveLength(2);
    expect(feed.items.some((i) => !/^https?:/.test(i.url))).toBe(false);
  });

  it('runs nothing from a fetched title, summary or link in Chromium', async () => {
    browser = await launchBrowser();
    const page = await browser.newPage();
    const dialogs: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on('request', (r) => { requests.push(r.url()); });
    for (const p of ['/network/', '/following/']) {
      await page.goto(`${dist.origin}${p}`);
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
      // Every link points at a web address; hovering and clicking the fetched ones runs nothing.
      const hrefs = await page.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      expect(hrefs.filter((h) => !/^(https?:\/\/|\/|#)/.test(h))).toEqual([]);
      for (const a of await page.$$('main a')) await a.hover();
      expect(await page.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
      expect(await page.$$('main img, main svg, main script, main style, main iframe')).toHaveLength(0);
    }
    expect(dialogs).toEqual([]);
    // The page asks nothing of any host but its own.
    expect(requests.filter((r) => !r.startsWith(dist.origin))).toEqual([]);
  });

  it('costs a site that follows nobody nothing: no network outputs, no blogroll link', () => {
    const plain = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/a.md': '---\ntitle: Mine\ndate: 2026-11-01\n---\n\nMine.\n' });
    expect(signet(['build'], plain).status).toBe(0);
    const files = [...readTree(path.join(plain, 'dist')).keys()];
    expect(files.filter((f) => /network|following|blogroll|recommendations/.test(f))).toEqual([]);
    expect(readFileSync(path.join(plain, 'dist/index.html'), 'utf8')).not.toContain('blogroll');
    expect(existsSync(path.join(plain, '.signet/network'))).toBe(false);
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { launchBrowser } from '../helpers/browser.js';
import { REPO } from '../helpers/site.js';
import { buildAndServe, type ServedSite } from './site.js';

let site: ServedSite;
let browser: Browser;
beforeAll(async () => {
  // A post with a photo: its page shows a <picture> around the plain <img> it signs.
  const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c33' } }).jpeg().toBuffer();
  site = await buildAndServe({
    'content/posts/photo/index.md': '---\ntitle: A photo\ndate: 2026-01-01\n---\n\nThe ridge.\n\n![The ridge at dawn](ridge.jpg)\n',
    'content/posts/photo/ridge.jpg': photo,
  });
  browser = await launchBrowser();
});
afterAll(async () => { await browser?.close(); await site?.close(); });

async function badgeOn(url: string): Promise<{ state: string | null; status: string | null; requests: string[] }> {
  const pageObj = await browser.newPage();
  const requests: string[] = [];
  pageObj.on('request', (r) => requests.push(r.url()));
  await pageObj.goto(url);
  const badge = pageObj.locator('[data-signet-badge]');
  await pageObj.waitForFunction(() => ['verified', 'failed', 'preview'].includes(document.querySelector<HTMLElement>('[data-signet-badge]')?.dataset.state ?? ''));
  const out = { state: await badge.getAttribute('data-state'), status: await badge.locator('[data-signet-status]').textContent(), requests };
  await pageObj.close();
  return out;
}

describe('the in-page badge in headless Chromium', () => {
  it('is bundled into the site and shows verified on a good page, fetching only the site itself', async () => {
    expect(readFileSync(path.join(site.dist, 'assets/signet-badge.js'), 'utf8')).not.toMatch(/\bfrom\s*["']/);
    const good = await badgeOn(`${site.origin}/posts/why-signet/`);
    expect(good).toMatchObject({ state: 'verified', status: '(verified)' });
    expect(good.requests).toContain(`${site.origin}/.well-known/did.json`);
    expect(good.requests.every((u) => u.startsWith(site.origin))).toBe(true);
  });

  it('shows failed on a copy whose envelope was changed', async () => {
    const html = readFileSync(path.join(site.dist, 'posts/why-signet/index.html'), 'utf8');
    const tampered = html.replace('overnight.', 'overnight!');
    expect(tampered).not.toBe(html);
    site.overrides.set('/tampered/posts/why-signet/', tampered);
    const r = await badgeOn(`${site.origin}/tampered/posts/why-signet/`);
    expect(r).toMatchObject({ state: 'failed', status: '(failed: bad signature)' });
  });

  it('shows failed on a copy that shows another text than it signs', async () => {
    const html = readFileSync(path.join(site.dist, 'posts/why-signet/index.html'), 'utf8');
    const body = html.indexOf('<div class="e-content">');
    const tampered = html.slice(0, body) + html.slice(body).replace('by feeds and email', 'by fax');
    site.overrides.set('/shown/posts/why-signet/', tampered);
    const r = await badgeOn(`${site.origin}/shown/posts/why-signet/`);
    expect(r).toMatchObject({ state: 'failed', status: '(failed: shown differently from signed)' });
  });

  it.each([
    ['a word hidden inside the body by a hidden attribute', (body: string) => body.replace('by feeds and email', 'by <span hidden>no </span>feeds and email')],
    ['a style attribute inside the body', (body: string) => body.replace('<p>', '<p style="color:transparent">')],
    ['a class inside the body that the signed content does not have', (body: string) => body.replace('<p>', '<p class="sr-only">')],
    ['the e-content class renamed, so nothing would be compared', (body: string) => body.replace('<div class="e-content">', '<div class="content">').replace('by feeds and email', 'by fax')],
  ])('shows failed for %s, although the words may be the same', async (what, change) => {
    const html = readFileSync(path.join(site.dist, 'posts/why-signet/index.html'), 'utf8');
    const body = html.indexOf('<div class="e-content">');
    const tampered = html.slice(0, body) + change(html.slice(body));
    expect(tampered, what).not.toBe(html);
    const route = `/markup-${what.length}/posts/why-signet/`;
    site.overrides.set(route, tampered);
    const r = await badgeOn(`${site.origin}${route}`);
    expect(r).toMatchObject({ state: 'failed', status: '(failed: shown differently from signed)' });
  });

  it('shows failed when a stylesheet of the page hides signed text', async () => {
    const html = readFileSync(path.join(site.dist, 'posts/why-signet/index.html'), 'utf8');
    const tampered = html.replace('</head>', '<style>.e-content p:first-child { display: none }</style></head>');
    site.overrides.set('/styled/posts/why-signet/', tampered);
    const r = await badgeOn(`${site.origin}/styled/posts/why-signet/`);
    expect(r).toMatchObject({ state: 'failed', status: '(failed: shown differently from signed)' });
  });

  it('shows verified on a page whose photo is a <picture> of copies in its folder, failed when a source is elsewhere', async () => {
    const html = readFileSync(path.join(site.dist, 'posts/photo/index.html'), 'utf8');
    expect(html).toMatch(/<picture><source type="image\/avif" srcset="ridge\.[0-9a-f]{10}-480\.avif 480w/);
    expect(await badgeOn(`${site.origin}/posts/photo/`)).toMatchObject({ state: 'verified', status: '(verified)' });
    // Another image, on this server but outside the photo's folder, in place of the AVIF copies.
    const tampered = html.replace(/srcset="ridge\.[0-9a-f]{10}-480\.avif 480w/, 'srcset="/elsewhere/ridge.avif 480w');
    expect(tampered).not.toBe(html);
    site.overrides.set('/picture/posts/photo/', tampered);
    expect(await badgeOn(`${site.origin}/picture/posts/photo/`)).toMatchObject({ state: 'failed', status: '(failed: shown differently from signed)' });
  });

  it('on a local preview of a page signed for another domain, says it is not checked there', async () => {
    // The published test vector page is signed for vectors.example; here it is served from 127.0.0.1.
    site.overrides.set('/preview/', readFileSync(path.join(REPO, 'docs/spec/vectors/post.html'), 'utf8'));
    const r = await badgeOn(`${site.origin}/preview/`);
    expect(r).toMatchObject({ state: 'preview', status: '(checked once published, not in a local preview)' });
  });
});

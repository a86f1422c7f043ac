import { spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { makeSite, SIGNET } from '../helpers/site.js';

// `signet dev` never makes a reload wait for encoding: a post that gains a photo is served at once
// with the photo's stripped copy (no metadata, its size given), and the <picture> with its AVIF, WebP
// and JPEG copies replaces it once they are made. The photo is large and noisy, so that its copies
// take seconds to make and the first state can be seen.

const CONFIG = 'title: Photos\nurl: https://photos.example/\nauthor: Wren\n';
const GPS = { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' };
const POST = '---\ntitle: Trip\ndate: 2026-01-01\n---\n\nThe walk.\n';

async function photo(): Promise<Buffer> {
  const noise = sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#888', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
  return noise.jpeg({ quality: 90 }).withExif({ IFD0: { Make: 'PhoneCo', Model: 'Phone 9' }, IFD3: GPS }).toBuffer();
}

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, what: string, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await check();
    if (found !== undefined) return found;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every image URL a page names (src and srcset), resolved against the page. */
function imageUrls(html: string, page: URL): URL[] {
  const found = new Set<string>();
  for (const [, name, value] of html.matchAll(/\s(src|srcset)="([^"]+)"/g)) {
    const urls = name === 'srcset' ? value!.split(',').map((part) => part.trim().split(/\s+/)[0]!) : [value!];
    for (const url of urls) if (/\.(jpe?g|png|webp|avif|gif)$/i.test(url)) found.add(new URL(url, page).href);
  }
  return [...found].map((url) => new URL(url));
}

async function checkPrivate(url: URL, original: Buffer): Promise<void> {
  const response = await fetch(url);
  expect([url.pathname, response.status]).toEqual([url.pathname, 200]);
  const bytes = Buffer.from(await response.arrayBuffer());
  expect(bytes.equals(original)).toBe(false);
  expect([url.pathname, await exifr.gps(bytes).catch(() => undefined)]).toEqual([url.pathname, undefined]);
  const meta = await sharp(bytes).metadata();
  expect([url.pathname, meta.exif, meta.xmp, bytes.includes('PhoneCo')]).toEqual([url.pathname, undefined, undefined, false]);
}

describe('signet dev with images', () => {
  it('serves a new photo stripped at once, and swaps in its responsive copies when they are made', async () => {
    const root = makeSite({ 'signet.config.yaml': CONFIG, 'content/posts/trip/index.md': POST });
    const env = { ...process.env };
    delete env.SIGNET_SIGNING_KEY;
    const child = spawn(process.execPath, [SIGNET, 'dev', '--port', '0'], { cwd: root, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const base = new URL(await waitFor(() => /Serving \. at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1], 'the server'));
      const page = new URL('posts/trip/', base);
      const original = await photo();
      writeFileSync(path.join(root, 'content/posts/trip/ridge.jpg'), original);
      writeFileSync(path.join(root, 'content/posts/trip/index.md'), `${POST}\n![The ridge at dawn](ridge.jpg)\n`);

      // The first page that shows the photo: its stripped copy, with its size, no <picture> yet.
      const first = await waitFor(async () => {
        const html = await (await fetch(page)).text();
        return html.includes('ridge') ? html : undefined;
      }, 'the page with the photo');
      expect(first).not.toContain('<picture>');
      expect(first).toMatch(/<img src="ridge\.jpg" alt="The ridge at dawn" width="3000" height="2000"/);
      for (const url of imageUrls(first, page)) await checkPrivate(url, original);

      // Then the responsive copies, by a rebuild of their own.
      const later = await waitFor(async () => {
        const html = await (await fetch(page)).text();
        return html.includes('<picture>') ? html : undefined;
      }, 'the <picture>');
      expect(later).toMatch(/<source type="image\/avif" srcset="ridge\.[0-9a-f]{10}-480\.avif 480w, [^"]*1600w"/);
      expect(later).toMatch(/<img src="ridge\.[0-9a-f]{10}-1600\.jpg" alt="The ridge at dawn" srcset="[^"]+" sizes="[^"]+" width="1600" height="1067"/);
      expect(output).toMatch(/images encoded → \d+ changed/);
      const urls = imageUrls(later, page);
      expect(urls.length).toBe(9);
      for (const url of [...urls, new URL('ridge.jpg', page)]) await checkPrivate(url, original);
      const feed = await (await fetch(new URL('feed.json', base))).text();
      expect(feed).toContain('ridge');
      // The feed's URLs are the public site's: each is fetched from the dev server, never from there.
      const published = imageUrls(feed.replace(/\\"/g, '"'), page);
      expect(published.length).toBeGreaterThan(0);
      for (const url of published) {
        expect(url.origin).toBe('https://photos.example');
        await checkPrivate(new URL(url.pathname.slice(1), base), original);
      }
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  });
});

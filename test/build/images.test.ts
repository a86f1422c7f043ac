import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import exifr from 'exifr';
import { parseFeed } from 'feedsmith';
import { simpleParser } from 'mailparser';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeSite, readTree, signet, writeFiles } from '../helpers/site.js';

// Fixtures are made here, with sharp: a JPEG with GPS and other EXIF, one whose EXIF says "rotate
// 90°", a PNG with a text chunk, a WebP with XMP and an animated GIF. Every image the build publishes
// is then read back with exifr and sharp.

const CONFIG = 'title: Photos\nurl: https://photos.example/\nauthor: Wren\n';
const POST = '---\ntitle: Trip\ndate: 2026-01-01\n---\n\nThe walk.\n\n![The ridge at dawn](gps.jpg)\n\n![](rot.jpg)\n\n![A chart](text.png)\n\n![A fern](xmp.webp)\n\n![A blink](anim.gif)\n';
const XMP = '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Wren Hollis"/></rdf:RDF></x:xmpmeta>';
const GPS = { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' };
const IMAGE = /\.(jpe?g|png|webp|avif|gif)$/i;
const PNG_HEADER = new Set(['ImageWidth', 'ImageHeight', 'BitDepth', 'ColorType', 'Compression', 'Filter', 'Interlace']);

const solid = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });

/** A PNG chunk: length, type, data, CRC of type and data. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

async function fixtures(): Promise<Record<string, Buffer>> {
  const gps = await solid(1200, 800, '#c33').jpeg().withExif({ IFD0: { Make: 'PhoneCo', Model: 'Phone 9', Copyright: 'Wren' }, IFD3: GPS }).toBuffer();
  // 600 wide and 400 high as stored, shown 400 wide and 600 high.
  const rot = await solid(600, 400, '#3c3').jpeg().withMetadata({ orientation: 6 }).toBuffer();
  const png = await solid(300, 200, '#33c').png().toBuffer();
  // After the 33 bytes of signature and IHDR: a tEXt chunk saying where it was made.
  const text = Buffer.concat([png.subarray(0, 33), chunk('tEXt', Buffer.from('Comment\0made at 12 Secret Lane')), png.subarray(33)]);
  const webp = await solid(320, 240, '#cc3').webp().withXmp(XMP).toBuffer();
  const frames = await Promise.all(['#f00', '#00f'].map((c) => solid(40, 30, c).png().toBuffer()));
  const anim = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
  const staticGps = await solid(200, 100, '#888').jpeg().withExif({ IFD0: { Artist: 'Wren' }, IFD3: GPS }).toBuffer();
  return { 'content/posts/trip/gps.jpg': gps, 'content/posts/trip/rot.jpg': rot, 'content/posts/trip/text.png': text, 'content/posts/trip/xmp.webp': webp, 'content/posts/trip/anim.gif': anim, 'static/header.jpg': staticGps };
}

function makePhotoSite(images: Record<string, Buffer>, post = POST): string {
  const root = makeSite({ 'signet.config.yaml': CONFIG, 'content/posts/trip/index.md': post });
  for (const [name, bytes] of Object.entries(images)) writeFiles(root, { [name]: '' }), writeFileSync(path.join(root, name), bytes);
  return root;
}

function imagesIn(dir: string): string[] {
  const found: string[] = [];
  const visit = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) visit(full);
      else if (IMAGE.test(name)) found.push(path.relative(dir, full).split(path.sep).join('/'));
    }
  };
  visit(dir);
  return found.sort();
}

describe('images', () => {
  let root: string;
  let first: ReturnType<typeof signet>;
  let dist: string;
  let html: string;
  let originals: Record<string, Buffer>;

  beforeAll(async () => {
    originals = await fixtures();
    root = makePhotoSite(originals);
    first = signet(['build'], root);
    dist = path.join(root, 'dist');
    html = first.status === 0 ? readFileSync(path.join(dist, 'posts/trip/index.html'), 'utf8') : '';
  });

  it('builds, says what it removed, and warns about the image without alt text', () => {
    expect(first.stderr).not.toMatch(/\n\s+at /);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Images: 6 images published without metadata, 6 encoded; removed GPS from 2 images, EXIF from [23]/);
    expect(first.stdout).toMatch(/XMP from 1/);
    expect(first.stdout).toMatch(/comments from 1/);
    expect(first.stdout).not.toMatch(/original/);
    expect(first.stderr).toMatch(/content\/posts\/trip\/index\.md:10: the image `rot\.jpg` has no alt text/);
  });

  it('publishes no GPS, EXIF, XMP or text chunk in any image, in dist/', async () => {
    const published = imagesIn(dist);
    // 6 stripped copies, and AVIF, WebP and JPEG/PNG copies of the 4 still Markdown images.
    expect(published.length).toBeGreaterThan(6 + 4 * 3);
    for (const name of published) {
      const bytes = readFileSync(path.join(dist, name));
      const meta = await sharp(bytes).metadata();
      expect([name, meta.exif, meta.xmp, meta.iptc, meta.comments]).toEqual([name, undefined, undefined, undefined, undefined]);
      expect([name, meta.orientation ?? 1]).toEqual([name, 1]);
      const parsed = (await exifr.parse(bytes, { tiff: true, exif: true, gps: true, xmp: true, iptc: true, ifd1: true }).catch(() => undefined)) as Record<string, unknown> | undefined;
      // exifr reports a PNG's header (its size and colour type) too: that is not metadata.
      expect([name, Object.keys(parsed ?? {}).filter((key) => !PNG_HEADER.has(key))]).toEqual([name, []]);
      expect([name, await exifr.gps(bytes).catch(() => undefined)]).toEqual([name, undefined]);
      expect([name, bytes.includes('Secret Lane'), bytes.includes('Wren'), bytes.includes('PhoneCo')]).toEqual([name, false, false, false]);
    }
    expect(published).toContain('header.jpg');
    // Without `images: { originals: true }`, no original is published, under any name. (The animated
    // GIF is left out: sharp made it with nothing to remove, and encoding its frames again gives the
    // same bytes.)
    const everything = readTree(dist);
    for (const [name, original] of Object.entries(originals).filter(([file]) => !file.endsWith('.gif'))) {
      expect([name, [...everything].filter(([, bytes]) => bytes.equals(original)).map(([file]) => file)]).toEqual([name, []]);
    }
    expect(html).not.toMatch(/<a href="[^"]*\.(jpg|png|webp|gif)"/);
  });

  it('turns the rotated photo upright and never enlarges an image', async () => {
    const rot = await sharp(readFileSync(path.join(dist, 'posts/trip/rot.jpg'))).metadata();
    expect([rot.width, rot.height]).toEqual([400, 600]);
    for (const name of imagesIn(path.join(dist, 'posts/trip')).filter((n) => n.startsWith('rot.'))) {
      const meta = await sharp(readFileSync(path.join(dist, 'posts/trip', name))).metadata();
      expect([name, meta.width, meta.height]).toEqual([name, 400, 600]);
    }
    for (const name of imagesIn(path.join(dist, 'posts/trip')).filter((n) => n.startsWith('gps.'))) {
      const meta = await sharp(readFileSync(path.join(dist, 'posts/trip', name))).metadata();
      expect(meta.width).toBeLessThanOrEqual(1200);
      expect(meta.width! / meta.height!).toBeCloseTo(1.5, 1);
    }
    expect(imagesIn(path.join(dist, 'posts/trip')).filter((n) => /^gps\.[0-9a-f]{10}-\d+\.(avif|webp|jpg)$/.test(n)).sort()).toHaveLength(9);
    const anim = await sharp(readFileSync(path.join(dist, 'posts/trip/anim.gif')), { animated: true }).metadata();
    expect(anim.pages).toBe(2);
  });

  it('writes <picture> with srcset, sizes, width, height, alt, lazy loading after the first image', () => {
    const pictures = [...html.matchAll(/<picture>(.*?)<\/picture>/g)].map((m) => m[1]!);
    expect(pictures).toHaveLength(4);
    const [ridge, rot] = pictures;
    expect(ridge).toMatch(/<source type="image\/avif" srcset="gps\.[0-9a-f]{10}-480\.avif 480w, gps\.[0-9a-f]{10}-960\.avif 960w, gps\.[0-9a-f]{10}-1200\.avif 1200w" sizes="[^"]+">/);
    expect(ridge).toMatch(/<source type="image\/webp" srcset="[^"]+1200w"/);
    const img = /<img [^>]*>/.exec(ridge!)![0];
    expect(img).toMatch(/ src="gps\.[0-9a-f]{10}-1200\.jpg"/);
    expect(img).toMatch(/ alt="The ridge at dawn"/);
    expect(img).toMatch(/ width="1200" height="800"/);
    expect(img).toMatch(/ decoding="async"/);
    expect(img).not.toMatch(/loading=/);
    expect(rot).toMatch(/<img [^>]* width="400" height="600" loading="lazy" decoding="async">/);
    expect(html).toMatch(/<img src="anim\.gif" alt="A blink" width="40" height="30" loading="lazy" decoding="async">/);
    expect(html).toMatch(/<img [^>]*src="text\.[0-9a-f]{10}-300\.png"/);
  });

  it('gives RSS, Atom and JSON Feed one absolute fallback URL with width and height per image, and the site verifies', async () => {
    const rss = parseFeed(readFileSync(path.join(dist, 'feed.xml'), 'utf8'));
    const atom = parseFeed(readFileSync(path.join(dist, 'atom.xml'), 'utf8'));
    const json = parseFeed(readFileSync(path.join(dist, 'feed.json'), 'utf8'));
    const contents = [
      (rss.feed as { items: { content?: { encoded?: string } }[] }).items[0]!.content!.encoded!,
      (atom.feed as { entries: { content?: { value?: string } }[] }).entries[0]!.content!.value!,
      (json.feed as { items: { content_html?: string }[] }).items[0]!.content_html!,
    ];
    for (const html of contents) {
      expect(html).not.toMatch(/<picture|<source|srcset|sizes=/);
      const images = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
      expect(images).toHaveLength(5);
      expect(images[0]).toMatch(/^<img src="https:\/\/photos\.example\/posts\/trip\/gps\.[0-9a-f]{10}-1200\.jpg" alt="The ridge at dawn" width="1200" height="800" decoding="async">$/);
      for (const img of images) {
        const [, src, width, height] = /src="([^"]+)".* width="(\d+)" height="(\d+)"/.exec(img)!;
        expect(src).toMatch(/^https:\/\/photos\.example\/posts\/trip\/[^/]+\.(jpg|png|gif)$/);
        // The file it names is published, stripped, and as large as it says.
        const bytes = readFileSync(path.join(dist, new URL(src!).pathname));
        const meta = await sharp(bytes).metadata();
        expect([src, meta.width, meta.pageHeight ?? meta.height, meta.exif]).toEqual([src, Number(width), Number(height), undefined]);
        expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
      }
    }
    const verify = signet(['verify', 'dist', '--domain', 'photos.example'], root);
    expect(verify.stdout + verify.stderr).toMatch(/All \d+ verified/);
    expect(verify.status).toBe(0);
  });

  it('gives the email the same plain images as the feeds', async () => {
    writeFileSync(path.join(root, 'signet.config.yaml'), `${CONFIG}email:\n  from: "Photos <letters@photos.example>"\n`);
    const preview = signet(['email', 'preview'], root);
    expect(preview.stderr).not.toMatch(/\n\s+at /);
    expect(preview.status).toBe(0);
    const mail = await simpleParser(readFileSync(path.join(root, preview.stdout.trim())));
    const html = String(mail.html);
    expect(html).not.toMatch(/<picture|<source|srcset/);
    const images = [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]);
    expect(images).toHaveLength(5);
    expect(images[0]).toMatch(/src="https:\/\/photos\.example\/posts\/trip\/gps\.[0-9a-f]{10}-1200\.jpg"/);
    expect(images[0]).toMatch(/width="1200"/);
    expect(images[0]).toMatch(/height="800"/);
    const feed = JSON.parse(readFileSync(path.join(dist, 'feed.json'), 'utf8')) as { items: { content_html: string }[] };
    const feedImages = [...feed.items[0]!.content_html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    expect(images.map((img) => /src="([^"]+)"/.exec(img)![1])).toEqual(feedImages);
    writeFileSync(path.join(root, 'signet.config.yaml'), CONFIG);
  });

  it('encodes nothing again when no image changed, and only the changed image when one did', async () => {
    writeFileSync(path.join(root, 'content/posts/trip/index.md'), `${POST}\nOne more line.\n`);
    const again = signet(['build'], root);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/Images: 6 images published without metadata, 0 encoded/);
    writeFileSync(path.join(root, 'content/posts/trip/gps.jpg'), await solid(900, 600, '#39c').jpeg().withExif({ IFD3: GPS }).toBuffer());
    const changed = signet(['build'], root);
    expect(changed.stdout).toMatch(/6 images published without metadata, 1 encoded/);
    const page = readFileSync(path.join(dist, 'posts/trip/index.html'), 'utf8');
    expect(page).toMatch(/gps\.[0-9a-f]{10}-900\.jpg/);
    const unchanged = signet(['build'], root);
    expect(unchanged.stdout).toMatch(/0 encoded/);
  });
});

describe('images that cannot be published', () => {
  it('stops a build at a truncated image with file: message, and leaves dist/ as it was', async () => {
    const good = await solid(300, 200, '#c33').jpeg().toBuffer();
    const root = makePhotoSite({ 'content/posts/trip/gps.jpg': good }, '---\ntitle: Trip\ndate: 2026-01-01\n---\n\n![A](gps.jpg)\n');
    expect(signet(['build'], root).status).toBe(0);
    const before = readFileSync(path.join(root, 'dist/posts/trip/index.html'));
    writeFileSync(path.join(root, 'content/posts/trip/gps.jpg'), good.subarray(0, 300));
    const broken = signet(['build'], root);
    expect(broken.status).not.toBe(0);
    expect(broken.stderr).toMatch(/content\/posts\/trip\/gps\.jpg: the image cannot be read \(.*\): it may be truncated or damaged/);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    expect(readFileSync(path.join(root, 'dist/posts/trip/index.html'))).toEqual(before);
  });

  it('explains how to convert a HEIC photo', () => {
    const root = makePhotoSite({ 'content/posts/trip/IMG_0001.heic': Buffer.from('\0\0\0\x18ftypheic\0\0\0\0mif1heic') });
    const run = signet(['build'], root);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/content\/posts\/trip\/IMG_0001\.heic: HEIC\/HEIF images .* cannot be published/);
    expect(run.stderr).toMatch(/Convert it to JPEG/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('makes missing alt text an error with images.strictAlt', async () => {
    const root = makePhotoSite({ 'content/posts/trip/gps.jpg': await solid(100, 100, '#c33').jpeg().toBuffer() }, '---\ntitle: Trip\ndate: 2026-01-01\n---\n\nText.\n\n![](gps.jpg)\n');
    writeFileSync(path.join(root, 'signet.config.yaml'), `${CONFIG}images:\n  strictAlt: true\n`);
    const run = signet(['build'], root);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/content\/posts\/trip\/index\.md:8: the image `gps\.jpg` has no alt text/);
  });

  it('refuses to keep GPS fields, and keeps a named field when asked', async () => {
    const root = makePhotoSite({ 'content/posts/trip/gps.jpg': await solid(100, 100, '#c33').jpeg().withExif({ IFD0: { Copyright: 'CC BY Wren', Make: 'PhoneCo' }, IFD3: GPS }).toBuffer() }, '---\ntitle: Trip\ndate: 2026-01-01\n---\n\n![A](gps.jpg)\n');
    writeFileSync(path.join(root, 'signet.config.yaml'), `${CONFIG}images:\n  keep: [Copyright, GPSLatitude]\n`);
    const refused = signet(['build'], root);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/signet\.config\.yaml:\d+:\d+: `images\.keep` cannot keep GPSLatitude/);
    writeFileSync(path.join(root, 'signet.config.yaml'), `${CONFIG}images:\n  keep: [Copyright]\n`);
    expect(signet(['build'], root).status).toBe(0);
    for (const name of imagesIn(path.join(root, 'dist'))) {
      const bytes = readFileSync(path.join(root, 'dist', name));
      const fields = ((await exifr.parse(bytes, { tiff: true, gps: true }).catch(() => undefined)) ?? {}) as Record<string, unknown>;
      expect([name, fields.Make, await exifr.gps(bytes).catch(() => undefined)]).toEqual([name, undefined, undefined]);
      // exifr reads EXIF in JPEG (not in every AVIF or WebP): the kept field is checked there.
      if (name.endsWith('.jpg')) expect([name, fields.Copyright]).toEqual([name, 'CC BY Wren']);
    }
  });
});

describe('originals, when a bundle opts in', () => {
  it('publishes each original full-size, same format, at full quality, without GPS or EXIF, linked from its picture', async () => {
    const original = await solid(1200, 800, '#c33').jpeg({ quality: 97, chromaSubsampling: '4:4:4' }).withExif({ IFD0: { Make: 'PhoneCo' }, IFD3: GPS }).toBuffer();
    const post = '---\ntitle: Trip\ndate: 2026-01-01\nimages: { originals: true }\n---\n\n![The ridge at dawn](gps.jpg)\n';
    const root = makePhotoSite({ 'content/posts/trip/gps.jpg': original, 'static/header.jpg': original }, post);
    const run = signet(['build'], root);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/removed GPS from 2 images, EXIF from 2\. 1 original published full-size \(images: \{ originals: true \}\)\./);
    const dist = path.join(root, 'dist');
    const page = readFileSync(path.join(dist, 'posts/trip/index.html'), 'utf8');
    expect(page).toMatch(/<a href="gps\.jpg"><picture><source type="image\/avif"[^]*?<img src="gps\.[0-9a-f]{10}-1200\.jpg"[^>]*><\/picture><\/a>/);
    const feed = JSON.parse(readFileSync(path.join(dist, 'feed.json'), 'utf8')) as { items: { content_html: string }[] };
    expect(feed.items[0]!.content_html).toMatch(/<a href="https:\/\/photos\.example\/posts\/trip\/gps\.jpg"><img src="https:\/\/photos\.example\/posts\/trip\/gps\.[0-9a-f]{10}-1200\.jpg" alt="The ridge at dawn" width="1200" height="800" decoding="async"><\/a>/);
    const bytes = readFileSync(path.join(dist, 'posts/trip/gps.jpg'));
    expect(bytes.equals(original)).toBe(false);
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.xmp, meta.chromaSubsampling]).toEqual(['jpeg', 1200, 800, undefined, undefined, '4:4:4']);
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined();
    // The static copy of the same photo is no bundle's: published as any other image, at a page's quality.
    expect((await sharp(readFileSync(path.join(dist, 'header.jpg'))).metadata()).chromaSubsampling).toBe('4:2:0');
    for (const [file, published] of readTree(dist)) {
      expect([file, published.equals(original), published.includes('PhoneCo')]).toEqual([file, false, false]);
      if (IMAGE.test(file)) expect([file, await exifr.gps(published).catch(() => undefined)]).toEqual([file, undefined]);
    }
    const verify = signet(['verify', 'dist', '--domain', 'photos.example'], root);
    expect(verify.stdout + verify.stderr).toMatch(/All \d+ verified/);
  });

  it('refuses images.originals on a post that is not a bundle, naming the file', async () => {
    const root = makePhotoSite({ 'content/posts/gps.jpg': await solid(100, 100, '#c33').jpeg().toBuffer() }, '---\ntitle: Trip\ndate: 2026-01-01\n---\n\nText.\n');
    writeFiles(root, { 'content/posts/loose.md': '---\ntitle: Loose\ndate: 2026-01-02\nimages: { originals: true }\n---\n\n![A](gps.jpg)\n' });
    const run = signet(['build'], root);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/content\/posts\/loose\.md: `images: \{ originals: true \}` applies to the images of a page bundle/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('a site without images', () => {
  it('never loads sharp or the images package', () => {
    const root = makeSite({ 'signet.config.yaml': CONFIG, 'content/posts/a.md': '---\ntitle: A\ndate: 2026-01-01\n---\n\nWords and [a link](/a/).\n', 'static/robots-extra.txt': 'x\n' });
    const hook = path.join(root, 'hook.cjs');
    const log = path.join(root, 'loaded.txt');
    writeFileSync(hook, `const Module = require('node:module'); const fs = require('node:fs'); const load = Module._load;\nModule._load = function (request, ...rest) { if (/sharp|@signet\\/images/.test(request)) fs.appendFileSync(${JSON.stringify(log)}, request + '\\n'); return load.call(this, request, ...rest); };\n`);
    const run = signet(['build'], root, { NODE_OPTIONS: `--require ${hook}` });
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/Images:/);
    let loaded = '';
    try {
      loaded = readFileSync(log, 'utf8');
    } catch {
      // Nothing was loaded.
    }
    expect(loaded).toBe('');
    rmSync(hook);
  });
});

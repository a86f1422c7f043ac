import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_OPTIONS, processImagesSync, widthsFor } from '../src/index.js';

describe('widthsFor', () => {
  it('never goes past the image, and includes its own width when it is narrower than the widest asked', () => {
    expect(widthsFor(3000, [480, 960, 1600])).toEqual([480, 960, 1600]);
    expect(widthsFor(1200, [480, 960, 1600])).toEqual([480, 960, 1200]);
    expect(widthsFor(300, [480, 960, 1600])).toEqual([300]);
    expect(widthsFor(960, [1600, 960, 480, 960])).toEqual([480, 960]);
  });
});

describe('processImagesSync', () => {
  it('strips, encodes once, and answers the second call from the cache', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signet-images-'));
    const file = path.join(dir, 'a.jpg');
    writeFileSync(file, await sharp({ create: { width: 700, height: 500, channels: 3, background: '#c33' } }).jpeg().withExif({ IFD0: { Make: 'PhoneCo' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } }).toBuffer());
    const cache = path.join(dir, 'cache');
    const first = processImagesSync([{ file, variants: true }], DEFAULT_IMAGE_OPTIONS, cache);
    expect(first.errors).toEqual([]);
    expect(first.encoded).toBe(1);
    const [image] = first.images;
    expect(image!.removed).toEqual(['GPS', 'EXIF']);
    expect(image!.variants.map((v) => `${v.format}@${v.width}x${v.height}`)).toEqual(['avif@480x343', 'webp@480x343', 'jpeg@480x343', 'avif@700x500', 'webp@700x500', 'jpeg@700x500']);
    const meta = await sharp(image!.stripped.file).metadata();
    expect([meta.exif, meta.width]).toEqual([undefined, 700]);
    const files = readdirSync(cache, { recursive: true }).length;
    const second = processImagesSync([{ file, variants: true }], DEFAULT_IMAGE_OPTIONS, cache);
    expect(second.encoded).toBe(0);
    expect(second.images).toEqual(first.images);
    expect(readdirSync(cache, { recursive: true }).length).toBe(files);
  });

  it('with defer, returns the stripped copy at once and makes the responsive copies in the background', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signet-images-'));
    const file = path.join(dir, 'b.jpg');
    writeFileSync(file, await sharp({ create: { width: 900, height: 600, channels: 3, background: '#3c3' } }).jpeg().withExif({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' } }).toBuffer());
    const cache = path.join(dir, 'cache');
    const first = processImagesSync([{ file, variants: true }], DEFAULT_IMAGE_OPTIONS, cache, true);
    expect(first.errors).toEqual([]);
    expect(first.images[0]!.variants).toEqual([]);
    expect(first.images[0]!.removed).toEqual(['GPS', 'EXIF']);
    expect((await sharp(first.images[0]!.stripped.file).metadata()).exif).toBeUndefined();
    expect(first.pending).toBeInstanceOf(Promise);
    // A call while the copies are being made starts them again no more than once.
    const meanwhile = processImagesSync([{ file, variants: true }], DEFAULT_IMAGE_OPTIONS, cache, true);
    expect(meanwhile.encoded).toBe(0);
    expect(meanwhile.images[0]!.variants).toEqual([]);
    await first.pending;
    const after = processImagesSync([{ file, variants: true }], DEFAULT_IMAGE_OPTIONS, cache, true);
    expect(after.encoded).toBe(0);
    expect(after.pending).toBeUndefined();
    expect(after.images[0]!.variants.map((v) => `${v.format}@${v.width}`)).toEqual(['avif@480', 'webp@480', 'jpeg@480', 'avif@900', 'webp@900', 'jpeg@900']);
  });

  it('returns unreadable files as errors instead of throwing', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signet-images-'));
    writeFileSync(path.join(dir, 'x.png'), 'not a png');
    const result = processImagesSync([{ file: path.join(dir, 'x.png'), variants: false }, { file: path.join(dir, 'missing.jpg'), variants: false }], DEFAULT_IMAGE_OPTIONS, path.join(dir, 'cache'));
    expect(result.images).toEqual([]);
    expect(result.errors.map((e) => path.basename(e.source))).toEqual(['x.png', 'missing.jpg']);
    expect(result.errors[0]!.message).toMatch(/cannot be read/);
  });
});

// node src/images.mjs [--count=200 --work=/dev/shm/signet-bench]   (or npm run bench -- --images)
// A site of `count` posts, each a bundle with one 3000×2000 JPEG photo carrying GPS and camera EXIF,
// generated (deterministically) with sharp. Reported: the cold build (no output, no cache) with its
// peak memory; the no-change rebuild; and a rebuild after one post's text changed, which builds
// every page again but takes every image from the cache.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { run } from './measure.mjs';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SIGNET = path.join(REPO, 'packages/cli/bin/signet.js');

/** The photo site, made once per count (the photos take a while): reused when already there. */
export async function makePhotoCorpus(dir, count) {
  const done = path.join(dir, '.complete');
  if (existsSync(done)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'signet.config.yaml'), 'title: Photos\nurl: https://photos.example/\nauthor: Bench\n');
  // One textured 3000×2000 base (noise compresses like a photo, a flat colour would not), tinted
  // differently for each post so every photo is its own file.
  const base = await sharp({ create: { width: 3000, height: 2000, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).png({ compressionLevel: 1 }).toBuffer();
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, 'content', 'posts', `photo-${String(i).padStart(4, '0')}`);
    mkdirSync(folder, { recursive: true });
    const tint = { r: (i * 37) % 256, g: (i * 91) % 256, b: (i * 53) % 256 };
    await sharp(base).tint(tint).jpeg({ quality: 88 })
      .withExif({ IFD0: { Make: 'PhoneCo', Model: 'Phone 9' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: `${51 + (i % 5)}/1 30/1 0/1`, GPSLongitudeRef: 'W', GPSLongitude: '0/1 7/1 0/1' } })
      .toFile(path.join(folder, 'photo.jpg'));
    writeFileSync(path.join(folder, 'index.md'), `---\ntitle: Photo ${i}\ndate: 2026-01-01T${String(i % 24).padStart(2, '0')}:00:00Z\ntags: [photos]\n---\n\nA walk, day ${i}.\n\n![A hillside, day ${i}](photo.jpg)\n`);
  }
  writeFileSync(done, '');
  return dir;
}

export async function imagesBench({ count = 200, work = '/dev/shm/signet-bench' } = {}) {
  const site = await makePhotoCorpus(path.join(work, 'corpus', `photos-${count}`), count);
  const out = path.join(work, 'out', 'signet-photos');
  const build = () => run('node', [SIGNET, 'build', '--root', site, '--out', out]);
  rmSync(out, { recursive: true, force: true });
  rmSync(path.join(site, '.signet', 'cache'), { recursive: true, force: true });
  const cold = build();
  const rebuild = build();
  const post = path.join(site, 'content', 'posts', 'photo-0000', 'index.md');
  writeFileSync(post, `${readFileSync(post, 'utf8')}\nEdited.\n`);
  const textChanged = build();
  const summary = /Images: [^\n]*/.exec(cold.stdout)?.[0];
  const result = {
    photos: count,
    cold: { ms: Math.round(cold.ms), peakMiB: Math.round(cold.peakMiB) },
    noChangeRebuild: { ms: Math.round(rebuild.ms), peakMiB: Math.round(rebuild.peakMiB) },
    textChangedRebuild: { ms: Math.round(textChanged.ms), peakMiB: Math.round(textChanged.peakMiB), images: /Images: [^\n]*/.exec(textChanged.stdout)?.[0] },
    summary,
  };
  console.log(`photos ${count} (3000×2000 JPEG): cold ${result.cold.ms} ms (${result.cold.peakMiB} MiB) · no-change rebuild ${result.noChangeRebuild.ms} ms · one post's text changed ${result.textChangedRebuild.ms} ms`);
  console.log(`  ${summary}`);
  return result;
}


if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { count: { type: 'string', default: '200' }, work: { type: 'string', default: '/dev/shm/signet-bench' } } });
  await imagesBench({ count: Number(values.count), work: values.work });
}

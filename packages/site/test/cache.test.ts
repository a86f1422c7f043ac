import { createHash } from 'node:crypto';
import { readFileSync, rmSync, statSync, truncateSync, unlinkSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, buildSiteToDisk, createCache } from '../src/index.js';
import { cacheFile, cacheStamp, loadDiskCache, saveDiskCache } from '../src/disk-cache.js';
import { signatureOf } from '../src/memo.js';
import { CONFIG, makeSite, post, readTree } from './site-fixture.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function site(count = 12): string {
  const root = makeSite(count);
  roots.push(root);
  return root;
}

/** Builds with the on-disk cache into dist/, and cleanly (no cache at all) into clean/. */
function buildBoth(root: string, extra: { now?: Date } = {}) {
  const cached = buildSiteToDisk({ root, env: {}, ...extra });
  const clean = buildSiteToDisk({ root, env: {}, outDir: path.join(root, 'clean'), diskCache: false, threads: 1, ...extra });
  return { cached, clean, dist: readTree(path.join(root, 'dist')), reference: readTree(path.join(root, 'clean')) };
}

function expectSameTree(a: Map<string, string>, b: Map<string, string>): void {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [file, bytes] of a) expect(bytes, file).toBe(b.get(file));
}

const page = (tree: Map<string, string>, file: string) => tree.get(file.split('/').join(path.sep)) ?? '';

describe('the on-disk cache never serves stale output', () => {
  it('skips all work when nothing changed, and the output stays as it was', () => {
    const root = site();
    const first = buildBoth(root);
    expect(first.cached.keyNotice).toMatch(/^Made a development signing key/);
    const again = buildSiteToDisk({ root, env: {} });
    expect(again.stats.steps.map((s) => s.name)).toEqual(['unchanged']);
    expect(again.stats.files).toBe(first.cached.stats.files);
    expectSameTree(readTree(path.join(root, 'dist')), first.reference);
  });

  it('follows a changed post, layout, config and key, each time equal to a clean build', () => {
    const root = site();
    let before = buildBoth(root);
    expectSameTree(before.dist, before.reference);
    const changes: [string, () => void, string][] = [
      ['post', () => writeFileSync(path.join(root, 'content/posts/post-3.md'), post(3, '\nA new closing line.\n')), 'posts/post-3/index.html'],
      ['layout', () => {
        mkdirSync(path.join(root, 'layouts'), { recursive: true });
        writeFileSync(path.join(root, 'layouts', 'page.liquid'), '<main>{{ page.title }}: {{ page.content | raw }}</main>\n');
      }, 'about/index.html'],
      ['config', () => writeFileSync(path.join(root, 'signet.config.yaml'), CONFIG.replace('title: Fixture', 'title: Renamed')), 'posts/post-5/index.html'],
      ['key', () => unlinkSync(path.join(root, '.signet', 'keys', 'dev-key.secret')), 'feed.json'],
    ];
    for (const [what, change, file] of changes) {
      change();
      const after = buildBoth(root);
      expect(after.cached.stats.steps.map((s) => s.name), what).not.toEqual(['unchanged']);
      expect(page(after.dist, file), what).not.toBe(page(before.dist, file));
      expectSameTree(after.dist, after.reference);
      before = after;
    }
    expect(page(before.dist, 'posts/post-3/index.html')).toContain('A new closing line.');
    expect(page(before.dist, 'about/index.html')).toContain('<main>About: ');
    expect(page(before.dist, 'posts/post-5/index.html')).toContain('Renamed');
  });

  it('follows a changed post and key on a site whose posts have no link (one HTML for page and feed), each time equal to a clean build', () => {
    const root = site(0);
    const plain = (i: number, extra = '') => `---\ntitle: Plain ${i}\ndate: 2025-03-0${i + 1}T10:00:00Z\n---\n\nJust words, post ${i}.\n\nA second paragraph.${extra}\n`;
    for (let i = 0; i < 4; i++) writeFileSync(path.join(root, 'content', 'posts', `plain-${i}.md`), plain(i));
    const first = buildBoth(root);
    expectSameTree(first.dist, first.reference);
    for (const change of [
      () => writeFileSync(path.join(root, 'content', 'posts', 'plain-2.md'), plain(2, ' Changed.')),
      () => unlinkSync(path.join(root, '.signet', 'keys', 'dev-key.secret')),
    ]) {
      change();
      const after = buildBoth(root);
      expect(after.cached.stats.steps.map((s) => s.name)).not.toEqual(['unchanged']);
      expectSameTree(after.dist, after.reference);
      expect(page(after.dist, 'feed.json')).toContain('A second paragraph.');
    }
  });

  it('serves the next build from a cache written while posts were signed on another thread', () => {
    const root = site(900);
    const first = buildBoth(root);
    // Left to choose (no thread count given), a cold build of this size signs while it renders.
    if (availableParallelism() > 1) expect(first.cached.stats.steps.map((s) => s.name)).toContain('markdown and sign');
    expectSameTree(first.dist, first.reference);
    writeFileSync(path.join(root, 'content/posts/post-7.md'), post(7, '\nChanged.\n'));
    const after = buildBoth(root);
    expect(after.cached.stats.markdown).toMatchObject({ rendered: 1 });
    expectSameTree(after.dist, after.reference);
    expect(page(after.dist, 'posts/post-7/index.html')).toContain('Changed.');
  }, 120_000);

  it('sees an edit that keeps the size and puts the modification time back', () => {
    const root = site();
    const file = path.join(root, 'content/posts/post-4.md');
    // Whole seconds, which utimes can put back exactly.
    const mtime = Math.floor(Date.now() / 1000) - 60;
    utimesSync(file, mtime, mtime);
    buildBoth(root);
    const source = readFileSync(file, 'utf8');
    const edited = source.replace('Post number 4', 'Post NUMBER 4');
    expect(edited).not.toBe(source);
    expect(edited.length).toBe(source.length);
    writeFileSync(file, edited);
    utimesSync(file, mtime, mtime);
    expect(statSync(file).mtimeMs).toBe(mtime * 1000);
    const after = buildBoth(root);
    expect(after.cached.stats.steps.map((s) => s.name)).not.toEqual(['unchanged']);
    expect(page(after.dist, 'posts/post-4/index.html')).toContain('Post NUMBER 4');
    expectSameTree(after.dist, after.reference);
  });

  it('rewrites output files changed or removed by hand', () => {
    const root = site();
    const { reference } = buildBoth(root);
    writeFileSync(path.join(root, 'dist', 'posts', 'post-1', 'index.html'), 'edited');
    expect(buildSiteToDisk({ root, env: {} }).stats.steps.map((s) => s.name)).not.toEqual(['unchanged']);
    expectSameTree(readTree(path.join(root, 'dist')), reference);
    rmSync(path.join(root, 'dist', 'feed.xml'));
    buildSiteToDisk({ root, env: {} });
    expectSameTree(readTree(path.join(root, 'dist')), reference);
  });

  it('publishes a future post once its date has passed', () => {
    const root = site();
    writeFileSync(path.join(root, 'content/posts/later.md'), '---\ntitle: Later\ndate: 2030-01-01\n---\n\nNot yet.\n');
    const early = buildBoth(root, { now: new Date('2029-01-01T00:00:00Z') });
    expect(page(early.dist, 'posts/later/index.html')).toBe('');
    const late = buildBoth(root, { now: new Date('2030-06-01T00:00:00Z') });
    expect(page(late.dist, 'posts/later/index.html')).toContain('Not yet.');
    expectSameTree(late.dist, late.reference);
  });

  it('ignores a cache saved by other package versions', () => {
    const root = site(4);
    const clean = buildSite({ root, env: {}, diskCache: false });
    const target = 'posts/post-1/index.html';
    const poisoned = createCache();
    buildSite({ root, env: {}, cache: poisoned });
    for (const [key, value] of poisoned.markdown) poisoned.markdown.set(key, { ...value, html: `${value.html}STALE` });
    const contentsOf = (result: ReturnType<typeof buildSite>) => (result.files.find((f) => f.path === target) as { contents: string }).contents;
    // Under this version's stamp the cache is trusted (which is why the stamp must change with the version)…
    saveDiskCache(root, cacheStamp(), poisoned, 'poisoned');
    expect(contentsOf(buildSite({ root, env: {} }))).toContain('STALE');
    // …and a cache from any other version is not read at all.
    saveDiskCache(root, cacheStamp(['@signet/site@0.0.1']), poisoned, 'poisoned');
    expect(contentsOf(buildSite({ root, env: {} }))).toBe(contentsOf(clean));
    expect([...loadDiskCache(root, cacheStamp())!.markdown.values()].some((value) => value.html.includes('STALE'))).toBe(false);
  });

  it('copies the pages it need not make again from the output folder the last build wrote', () => {
    const root = site();
    buildBoth(root);
    writeFileSync(path.join(root, 'content/posts/post-3.md'), post(3, '\nChanged.\n'));
    const after = buildBoth(root);
    expect(after.cached.stats.reused).toBeGreaterThan(5);
    expect(after.clean.stats.reused).toBe(0);
    expectSameTree(after.dist, after.reference);
    expect(page(after.dist, 'posts/post-3/index.html')).toContain('Changed.');
  });

  it('copies nothing from an output folder another build wrote than the one that saved the cache', () => {
    const root = site();
    const file = path.join(root, 'content/posts/post-3.md');
    const original = readFileSync(file, 'utf8');
    buildBoth(root);
    const savedCache = readFileSync(cacheFile(root));
    writeFileSync(file, post(3, '\nChanged.\n'));
    buildBoth(root);
    // The cache says what post-3's page was made from at first; the output folder holds the changed one.
    writeFileSync(cacheFile(root), savedCache);
    writeFileSync(file, original);
    const after = buildBoth(root);
    expect(after.cached.stats.reused).toBe(0);
    expectSameTree(after.dist, after.reference);
    expect(page(after.dist, 'posts/post-3/index.html')).not.toContain('Changed.');
  });

  it('ignores and rebuilds a corrupt or truncated cache file', () => {
    const root = site(6);
    const clean = buildSite({ root, env: {}, diskCache: false });
    const file = cacheFile(root);
    for (const damage of [
      () => truncateSync(file, Math.floor(statSync(file).size / 2)),
      () => {
        const bytes = readFileSync(file);
        bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
        writeFileSync(file, bytes);
      },
      () => {
        // Inside the text of the rendered Markdown, which no V8 chunk checks.
        const bytes = readFileSync(file);
        const at = bytes.indexOf('Paragraph one of post 2');
        expect(at).toBeGreaterThan(0);
        bytes[at] = 'Q'.charCodeAt(0);
        writeFileSync(file, bytes);
      },
      () => writeFileSync(file, 'not a cache'),
      () => truncateSync(file, 0),
    ]) {
      buildSite({ root, env: {} });
      damage();
      expect(loadDiskCache(root, cacheStamp())).toBeUndefined();
      const result = buildSite({ root, env: {} });
      expect(result.files).toEqual(clean.files);
      expect(loadDiskCache(root, cacheStamp())?.pages.size).toBeGreaterThan(0);
    }
  });

  it('keeps each post\'s rendered Markdown exactly as made: text past Latin-1, summaries, listing HTML, links, headings', () => {
    const root = site(3);
    mkdirSync(path.join(root, 'content/posts/trip'), { recursive: true });
    writeFileSync(path.join(root, 'content/posts/trip/notes.txt'), 'Notes.');
    writeFileSync(path.join(root, 'content/posts/trip/index.md'), '---\ntitle: Trip\ndate: 2025-03-09T10:00:00Z\n---\n\nBefore the break: naïve café, 日本, 🎉.\n\n<!--more-->\n\n## Ça va\n\n[Notes](notes.txt) and more.[^n]\n\n[^n]: A note ↩ here.\n');
    writeFileSync(path.join(root, 'content/posts/plain.md'), '---\ntitle: Plain\ndate: 2025-03-10T10:00:00Z\n---\n\nJust words.\n');
    buildSiteToDisk({ root, env: {} });
    const made = createCache();
    buildSite({ root, env: {}, cache: made, diskCache: false });
    const loaded = loadDiskCache(root, cacheStamp());
    expect(loaded?.markdown.size).toBe(made.markdown.size);
    for (const [key, rendered] of made.markdown) expect(loaded!.markdown.get(key), key).toEqual(rendered);
    const trip = [...made.markdown.values()].find((r) => r.html.includes('日本'))!;
    // Every optional part was there to keep.
    expect(trip.summaryHtml).toContain('🎉');
    expect(trip.listingHtml).toBeDefined();
    expect(trip.links).toContain('notes.txt');
    expect(trip.headings?.[0]?.text).toBe('Ça va');
  });

  it('keeps the cache out of git even when no key file made .signet/', () => {
    const root = site(2);
    const env = { SIGNET_SIGNING_KEY: undefined };
    rmSync(path.join(root, '.signet'), { recursive: true, force: true });
    buildSite({ root, env });
    rmSync(path.join(root, '.signet', '.gitignore'));
    buildSiteToDisk({ root, env });
    expect(readFileSync(path.join(root, '.signet', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('ignores a damaged output manifest', () => {
    const root = site(4);
    const { reference } = buildBoth(root);
    writeFileSync(path.join(root, '.signet', 'cache', 'output.json'), '{"inputs": ');
    expect(buildSiteToDisk({ root, env: {} }).stats.steps.map((s) => s.name)).not.toEqual(['unchanged']);
    expectSameTree(readTree(path.join(root, 'dist')), reference);
  });

  it('keeps an in-memory cache to what the last build used, and a bounded slack', () => {
    const root = site(4);
    const cache = createCache();
    buildSite({ root, env: {}, cache });
    const pages = cache.pages.size;
    const markdown = cache.markdown.size;
    const envelopes = cache.envelopes.size;
    // Each edit leaves the post's old Markdown, envelope and page behind until the slack (32 here) is used up.
    let most = 0;
    for (let i = 0; i < 80; i++) {
      writeFileSync(path.join(root, 'content/posts/post-0.md'), post(0, `\nEdit ${i}.\n`));
      buildSite({ root, env: {}, cache });
      most = Math.max(most, cache.markdown.size - markdown, cache.envelopes.size - envelopes);
      expect(cache.pages.size).toBeLessThanOrEqual(pages + 33);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(33);
    // What the last build used is all still there: a rebuild with no change renders nothing.
    const again = buildSite({ root, env: {}, cache });
    expect(again.stats.markdown?.rendered).toBe(0);
    expect(existsNot(cacheFile(root))).toBe(true);
  });
});

describe('signatures of outputs', () => {
  it('are SHA-256 of each part followed by NUL, as a hash fed part by part gives it', () => {
    for (const parts of [[], [''], ['a'], ['a', 'b'], ['x\0y', 'z'], ['é', '日本', '🎉', '']]) {
      const hash = createHash('sha256');
      for (const part of parts) hash.update(part).update('\0');
      expect(signatureOf(...parts), JSON.stringify(parts)).toBe(hash.digest('base64'));
    }
  });
});

describe('the in-memory entry cache', () => {
  it('re-reads only the saved post, and the build still equals a clean one', () => {
    const root = site(6);
    const cache = createCache();
    buildSite({ root, env: {}, cache });
    const file = (i: number) => path.join(root, 'content/posts', `post-${i}.md`);
    const before = new Map([...cache.entries].map(([name, value]) => [name, value.result.entry]));
    expect(before.has(file(2))).toBe(true);
    writeFileSync(file(2), post(2, '\nA changed line.\n'));
    const rebuilt = buildSite({ root, env: {}, cache });
    for (const [name, entry] of before) {
      // The same object means the file was not parsed again.
      if (name === file(2)) expect(cache.entries.get(name)!.result.entry).not.toBe(entry);
      else expect(cache.entries.get(name)!.result.entry, name).toBe(entry);
    }
    const clean = buildSite({ root, env: {}, diskCache: false, threads: 1 });
    const bytes = (files: typeof clean.files) => new Map(files.map((f) => [f.path, 'from' in f ? f.from : Buffer.from(f.contents).toString('latin1')]));
    expectSameTree(bytes(rebuilt.files), bytes(clean.files));
    expect(bytes(rebuilt.files).get('posts/post-2/index.html')).toContain('A changed line.');
  });

  it('signs again after the author, the key or the site URL changed, and equals a clean build each time', () => {
    const root = site(4);
    const cache = createCache();
    const bytes = (files: ReturnType<typeof buildSite>['files']) => new Map(files.map((f) => [f.path, 'from' in f ? f.from : Buffer.from(f.contents).toString('latin1')]));
    let last = bytes(buildSite({ root, env: {}, cache }).files);
    const changes: [string, () => void][] = [
      ['author', () => writeFileSync(path.join(root, 'signet.config.yaml'), CONFIG.replace('author: Ada', 'author: Grace'))],
      ['key', () => unlinkSync(path.join(root, '.signet', 'keys', 'dev-key.secret'))],
      ['url', () => writeFileSync(path.join(root, 'signet.config.yaml'), CONFIG.replace('https://fixture.example/', 'https://other.example/'))],
    ];
    for (const [what, change] of changes) {
      change();
      const rebuilt = bytes(buildSite({ root, env: {}, cache }).files);
      expectSameTree(rebuilt, bytes(buildSite({ root, env: {}, diskCache: false, threads: 1 }).files));
      expect(rebuilt.get('feed.json'), what).not.toBe(last.get('feed.json'));
      last = rebuilt;
    }
  });

  it('forgets a deleted post', () => {
    const root = site(3);
    const cache = createCache();
    buildSite({ root, env: {}, cache });
    unlinkSync(path.join(root, 'content/posts/post-1.md'));
    const rebuilt = buildSite({ root, env: {}, cache });
    expect(cache.entries.has(path.join(root, 'content/posts/post-1.md'))).toBe(false);
    expect(rebuilt.files.some((f) => f.path === 'posts/post-1/index.html')).toBe(false);
  });
});

function existsNot(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch {
    return true;
  }
}

import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Entry } from '@signet/content';
import { buildSiteToDisk } from '../src/index.js';
import type { ListingPage } from '../src/steps/listings.js';
import { schedule } from '../src/steps/pages.js';
import { makeSite, post, readTree } from './site-fixture.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('a site made page by page (streamsPages)', () => {
  it('is the site made step by step, cold and after an edit that remakes listing pages but not the pages of the posts they show', () => {
    const root = makeSite(600);
    roots.push(root);
    const file = (i: number) => path.join(root, 'content', 'posts', `post-${i}.md`);
    // A tag on three posts far apart: its page is complete only at the oldest of them, so the other
    // two are held from their own pages until then.
    for (const i of [3, 250, 590]) writeFileSync(file(i), post(i).replace('tags: [', 'tags: [rare, '));
    const env = {};
    const streamed = path.join(root, 'out-streamed');
    // Given two threads, layouts render on a worker too: the build is made page by page.
    buildSiteToDisk({ root, outDir: streamed, threads: 2, env });
    // The edited post's listing pages are made again; the other posts on them have their own pages
    // from the cache (no view made there), so their HTML must still be held when those listings are.
    writeFileSync(file(250), post(250).replace('tags: [', 'tags: [rare, ').replace('Post number 250', 'Post two hundred and fifty'));
    const rebuilt = buildSiteToDisk({ root, outDir: streamed, threads: 2, env });
    expect(rebuilt.stats.reused).toBeGreaterThan(500);
    const whole = path.join(root, 'out-whole');
    const single = buildSiteToDisk({ root, outDir: whole, threads: 1, diskCache: false, env });
    expect(single.stats.steps.map((step) => step.name)).toContain('sign');
    expect(rebuilt.stats.steps.map((step) => step.name)).not.toContain('sign');
    const a = readTree(streamed);
    const b = readTree(whole);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [name, bytes] of b) expect(a.get(name), name).toBe(bytes);
    expect(a.get(path.join('tags', 'rare', 'index.html'))).toContain('Post two hundred and fifty');
  }, 120_000);

  it('makes a listing page once its last post has its page, and lets a post go after the last page that shows it', () => {
    const posts = Array.from({ length: 6 }, (_, i) => ({ source: `p${i}.md` }) as Entry);
    const page = (shown: Entry[]) => ({ of: {}, part: { posts: shown } }) as unknown as ListingPage;
    const home1 = page(posts.slice(0, 3));
    const home2 = page(posts.slice(3));
    const sparse = page([posts[1]!, posts[4]!]);
    const empty = page([]);
    const { first, completed, done } = schedule(posts, [home1, home2, sparse, empty]);
    expect(first).toEqual([empty]);
    expect(completed[2]).toEqual([home1]);
    expect(completed[5]).toEqual([home2]);
    expect(completed[4]).toEqual([sparse]);
    expect(completed.filter(Boolean)).toHaveLength(3);
    // Post 1 is on the home page made at post 2 and on the sparse page made at post 4.
    expect(done[2]).toEqual([posts[0], posts[2]]);
    expect(done[4]).toEqual([posts[1]]);
    expect(done[5]).toEqual([posts[3], posts[4], posts[5]]);
    expect(done.flat()).toHaveLength(6);
  });

  it('is told how many content files there are before they are read (`onFiles`), then how many entries they made', () => {
    const root = makeSite(30);
    roots.push(root);
    // The command sets V8's heap growth for a large site here, before the content fills the heap.
    const calls: string[] = [];
    buildSiteToDisk({ root, outDir: path.join(root, 'out'), diskCache: false, env: {}, onFiles: (n) => calls.push(`files ${n}`), onContent: (n) => calls.push(`content ${n}`) });
    expect(calls).toEqual(['files 31', 'content 31']);
  });
});

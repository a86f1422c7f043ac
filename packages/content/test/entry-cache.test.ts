import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateConfig } from '@signet/config';
import { describe, expect, it } from 'vitest';
import { loadContent, type EntryCache } from '../src/index.js';

function site(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'signet-entry-cache-'));
  mkdirSync(path.join(root, 'content/posts'), { recursive: true });
  writeFileSync(path.join(root, 'content/posts/a.md'), '---\ntitle: A\ndate: 2026-01-01\n---\nA\n');
  writeFileSync(path.join(root, 'content/posts/b.md'), '---\ntitle: B\ndate: 2026-01-02\n---\nB\n');
  return root;
}

describe('loadContent with an entry cache', () => {
  it('reuses unchanged entries and rereads changed ones', () => {
    const root = site();
    const config = validateConfig({ title: 'T', url: 'https://t.example/' }, root, undefined);
    const cache: EntryCache = new Map();
    const first = loadContent(config, { entryCache: cache });
    writeFileSync(path.join(root, 'content/posts/b.md'), '---\ntitle: B2\ndate: 2026-01-02\n---\nB\n');
    const second = loadContent(config, { entryCache: cache });
    const byTitle = (set: typeof first, title: string) => set.posts.find((p) => p.title === title);
    expect(byTitle(second, 'A')).toBe(byTitle(first, 'A'));
    expect(byTitle(second, 'B2')).toBeDefined();
    expect(byTitle(second, 'B')).toBeUndefined();
  });

  it('rereads every entry when a setting they depend on changes, and forgets removed files', () => {
    const root = site();
    const cache: EntryCache = new Map();
    const config = validateConfig({ title: 'T', url: 'https://t.example/' }, root, undefined);
    loadContent(config, { entryCache: cache });
    const moved = loadContent({ ...config, permalink: '/:year/:slug/' }, { entryCache: cache });
    expect(moved.posts.map((p) => p.urlPath).sort()).toEqual(['/2026/a/', '/2026/b/']);
    renameSync(path.join(root, 'content/posts/a.md'), path.join(root, 'content/posts/c.md'));
    loadContent(config, { entryCache: cache });
    expect([...cache.keys()].map((file) => path.basename(file)).sort()).toEqual(['b.md', 'c.md']);
  });

  it('trusts `unchanged` to skip reading a file, and reuses folder listings until they are dropped', () => {
    const root = site();
    const config = validateConfig({ title: 'T', url: 'https://t.example/' }, root, undefined);
    const cache: EntryCache = new Map();
    const listings = new Map<string, string[]>();
    loadContent(config, { entryCache: cache, listings });
    const b = path.join(root, 'content/posts/b.md');
    writeFileSync(b, '---\ntitle: B2\ndate: 2026-01-02\n---\nB\n');
    writeFileSync(path.join(root, 'content/posts/c.md'), '---\ntitle: C\ndate: 2026-01-03\n---\nC\n');
    const trusted = loadContent(config, { entryCache: cache, listings, unchanged: () => true });
    expect(trusted.posts.map((p) => p.title)).toEqual(['B', 'A']);
    const told = loadContent(config, { entryCache: cache, listings, unchanged: (file) => file !== b });
    expect(told.posts.map((p) => p.title)).toEqual(['B2', 'A']);
    listings.clear();
    const listed = loadContent(config, { entryCache: cache, listings, unchanged: (file) => file !== b });
    expect(listed.posts.map((p) => p.title)).toEqual(['C', 'B2', 'A']);
    expect(listings.get(path.join(root, 'content'))?.map((file) => path.basename(file))).toEqual(['a.md', 'b.md', 'c.md']);
    // A date moved back moves the post back, though the sort starts from the last order.
    writeFileSync(b, '---\ntitle: B3\ndate: 2025-12-31\n---\nB\n');
    const moved = loadContent(config, { entryCache: cache, listings, unchanged: (file) => file !== b });
    expect(moved.posts.map((p) => p.title)).toEqual(['C', 'A', 'B3']);
  });

  it('still finds two files wanting one URL when an edit in place makes them clash', () => {
    const root = site();
    const config = validateConfig({ title: 'T', url: 'https://t.example/' }, root, undefined);
    const cache: EntryCache = new Map();
    const b = path.join(root, 'content/posts/b.md');
    loadContent(config, { entryCache: cache, unchanged: () => false });
    writeFileSync(b, '---\ntitle: B2\ndate: 2026-01-02\n---\nB\n');
    expect(loadContent(config, { entryCache: cache, unchanged: (file) => file !== b }).posts).toHaveLength(2);
    writeFileSync(b, '---\ntitle: B3\ndate: 2026-01-02\nslug: a\n---\nB\n');
    expect(() => loadContent(config, { entryCache: cache, unchanged: (file) => file !== b })).toThrow(/both want the URL \/posts\/a\//);
  });
});

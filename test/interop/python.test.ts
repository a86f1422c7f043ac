// The extra suite (`npm run test:interop`): built sites checked with Python tools that aggregators and
// other implementations use. It needs `/usr/bin/python3` with feedparser and PyNaCl (Debian's
// python3-feedparser and python3-nacl, which `.ci/run` installs); `npm test` does not run it.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSites, REPO } from '../helpers/site.js';

const PYTHON = '/usr/bin/python3';
const HERE = path.join(REPO, 'test/interop');

const built = buildSites();

describe.each(built)('feeds of $site in Python feedparser', ({ root, run, files }) => {
  it('RSS and Atom parse with bozo 0, every item carrying its envelope', () => {
    expect(run.status, run.stderr).toBe(0);
    const feeds = [...files.keys()].filter((name) => /(feed|atom)\.xml$/.test(name)).map((name) => path.join(root, 'dist', name));
    expect(feeds.length).toBeGreaterThanOrEqual(2);
    const output = execFileSync(PYTHON, [path.join(HERE, 'parse_feeds.py'), ...feeds], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const results = JSON.parse(output) as { path: string; bozo: number; error: string; version: string; entries: { link: string; envelope: string | undefined }[] }[];
    for (const result of results) {
      expect(result.bozo, `${result.path}: ${result.error}`).toBe(0);
      expect(result.version).toMatch(result.path.endsWith('atom.xml') ? /^atom10$/ : /^rss20$/);
      for (const entry of result.entries) {
        const envelope = JSON.parse(entry.envelope ?? '{}') as { url?: string; proof?: { cryptosuite?: string } };
        expect(envelope.url).toBe(entry.link);
        expect(envelope.proof?.cryptosuite).toBe('eddsa-jcs-2022');
      }
    }
  });
});

describe('signatures in Python (PyNaCl)', () => {
  it('agrees with an independent eddsa-jcs-2022 implementation, and says no to a changed item', () => {
    const { root, run } = built[0]!;
    expect(run.status, run.stderr).toBe(0);
    const dist = path.join(root, 'dist');
    const check = (feed: string) => spawnSync(PYTHON, [path.join(HERE, 'eddsa_jcs_2022.py'), path.join(dist, '.well-known/did.json'), feed], { encoding: 'utf8' });
    const good = check(path.join(dist, 'feed.json'));
    expect(good.status, good.stderr).toBe(0);
    const lines = good.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; valid: boolean });
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.valid)).toBe(true);
    const copy = path.join(mkdtempSync(path.join(os.tmpdir(), 'signet-interop-')), 'feed.json');
    const feed = JSON.parse(readFileSync(path.join(dist, 'feed.json'), 'utf8')) as { items: { _signed: { envelope: { title: string } } }[] };
    feed.items[1]!._signed.envelope.title += '!';
    writeFileSync(copy, JSON.stringify(feed));
    const bad = check(copy).stdout.trim().split('\n').map((l) => (JSON.parse(l) as { valid: boolean }).valid);
    expect(bad).toEqual([true, false, true]);
  });
});

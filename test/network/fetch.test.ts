import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, MINIMAL_CONFIG, signet } from '../helpers/site.js';
import { serveFolder, signedSite, signetAsync, type Served } from './sites.js';

const OPEN = '--allow-private-network';
let alice: Served, bob: Served, carol: Served, plain: Served;
let reader: string;

interface Item { title?: string; status: string; reason?: string; domain?: string; keyChanged?: boolean; envelope?: string }
function items(feedUrl: string): Item[] {
  const dir = path.join(reader, '.signet/network/feeds');
  for (const name of readdirSync(dir)) {
    const record = JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as { url: string; items: Item[] };
    if (record.url === feedUrl) return record.items;
  }
  throw new Error(`no record for ${feedUrl}`);
}

beforeAll(async () => {
  [alice, bob, carol] = [await signedSite('Alice'), await signedSite('Bob'), await signedSite('Carol')];
  plain = await serveFolder(makeSite({}));
  plain.routes.set('/', '<html><head><title>Plain</title><link rel="alternate nofollow" type="application/rss+xml" href="./rss.xml"></head></html>');
  plain.routes.set('/rss.xml', '<?xml version="1.0"?><rss version="2.0"><channel><title>Plain RSS</title><link>http://plain/</link><description>d</description><item><title>Unsigned hello</title><guid>p1</guid><description>text</description></item></channel></rss>');
  reader = makeSite({ 'signet.config.yaml': MINIMAL_CONFIG, 'content/posts/a.md': '---\ntitle: A\ndate: 2026-11-01\n---\n\nA.\n' });
});
afterAll(async () => { await Promise.all([alice, bob, carol, plain].map((s) => s?.close())); });

describe('signet follow and signet fetch against real servers', () => {
  it('follows signed and unsigned sites, preferring JSON Feed, and refuses loopback without the flag', async () => {
    const refused = await signetAsync(['follow', `${alice.origin}/`], reader);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/private, loopback or link-local.*--allow-private-network/);
    for (const site of [alice, bob, carol]) {
      const r = await signetAsync(['follow', `${site.origin}/`, OPEN], reader);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain(`feed:   ${site.origin}/feed.json (json)`);
      expect(r.stdout).toMatch(/signed: the site publishes/);
    }
    const p = await signetAsync(['follow', `${plain.origin}/`, OPEN], reader);
    expect(p.stdout).toContain(`${plain.origin}/rss.xml (rss)`);
    expect(p.stdout).toMatch(/no \/\.well-known\/did\.json/);
    expect((await signetAsync(['follow', `${alice.origin}/`, OPEN], reader)).stdout).toMatch(/^Already following/);
    expect(readFileSync(path.join(reader, 'following.opml'), 'utf8').match(/<outline type="rss"/g)).toHaveLength(4);
  });

  it('verifies signed items, keeps unsigned ones as unsigned, and fails a tampered one', async () => {
    // Bob's feed shows another title than the one he signed.
    const feed = JSON.parse(readFileSync(path.join(bob.root, 'dist/feed.json'), 'utf8')) as { items: { title: string }[] };
    feed.items[0]!.title = 'Bob never wrote this';
    bob.routes.set('/feed.json', JSON.stringify(feed));
    const r = await signetAsync(['fetch', OPEN], reader);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/4 fetched, 0 not modified, 0 skipped, 0 failed; items: 7 new, 5 verified, 1 unsigned, 1 failed/);
    expect(items(`${alice.origin}/feed.json`).map((i) => [i.status, i.domain])).toEqual([['verified', alice.host], ['verified', alice.host]]);
    const bobs = items(`${bob.origin}/feed.json`);
    expect(bobs.find((i) => i.title === 'Bob never wrote this')).toMatchObject({ status: 'failed', reason: expect.stringMatching(/^shown differently from signed/) });
    expect(items(`${plain.origin}/rss.xml`)).toMatchObject([{ status: 'unsigned', title: 'Unsigned hello' }]);
    // The envelope is kept as it was published.
    const published = JSON.parse(readFileSync(path.join(alice.root, 'dist/feed.json'), 'utf8')) as { items: { _signed: { envelope: unknown } }[] };
    expect(items(`${alice.origin}/feed.json`).map((i) => JSON.parse(i.envelope!))).toEqual(published.items.map((i) => i._signed.envelope));
    expect((await signetAsync(['fetch', OPEN, '--strict'], reader)).status).toBe(1);
    bob.routes.delete('/feed.json');
  });

  it('answers 304 with the stored validators, and lists what it follows', async () => {
    let conditional = 0;
    plain.routes.set('/rss.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"p1"') { conditional++; return void res.writeHead(304, { etag: '"p1"' }).end(); }
      res.writeHead(200, { etag: '"p1"', 'content-type': 'application/rss+xml' }).end('<?xml version="1.0"?><rss version="2.0"><channel><title>Plain RSS</title><link>http://plain/</link><description>d</description><item><title>Unsigned hello</title><guid>p1</guid></item></channel></rss>');
    });
    await signetAsync(['fetch', OPEN], reader);
    const r = await signetAsync(['fetch', OPEN], reader);
    expect(conditional).toBe(1);
    expect(r.stdout).toMatch(/1 not modified/);
    const table = signet(['following'], reader).stdout;
    expect(table).toMatch(new RegExp(`Alice .*${alice.origin}/feed\\.json +signed by ${alice.host.replace('.', '\\.')}`));
    expect(table).toMatch(/Plain RSS .* unsigned/);
  });

  it('flags replaced keys until trusted, and lets a rotation the spec allows pass', async () => {
    // Carol's keys are replaced: a new key (under the same id), the old one gone without revocation.
    for (const gone of ['.signet', 'dist', 'signet.keys.json']) rmSync(path.join(carol.root, gone), { recursive: true, force: true });
    expect(signet(['keys', 'generate'], carol.root).status).toBe(0);
    carol.build();
    // Alice rotates: a new key, the old one revoked from now (kept in did.json).
    const rotate = signet(['keys', 'rotate'], alice.root);
    expect(rotate.status).toBe(0);
    const registry = JSON.parse(readFileSync(path.join(alice.root, 'signet.keys.json'), 'utf8')) as { keys: { id: string }[] };
    expect(signet(['keys', 'revoke', registry.keys[0]!.id], alice.root).status).toBe(0);
    alice.build();
    const r = await signetAsync(['fetch', OPEN, '--force'], reader);
    expect(r.stderr).toContain(`${carol.host} no longer lists any key it used before`);
    expect(r.stderr).not.toContain(alice.host);
    expect(items(`${carol.origin}/feed.json`).every((i) => i.status === 'verified' && i.keyChanged === true)).toBe(true);
    expect(items(`${alice.origin}/feed.json`).every((i) => i.status === 'verified' && i.keyChanged === undefined)).toBe(true);
    expect(signet(['following'], reader).stdout).toMatch(/Carol .* keys replaced/);
    expect((await signetAsync(['follow', '--trust-new-keys', carol.host], reader)).status).toBe(0);
    expect(items(`${carol.origin}/feed.json`).some((i) => i.keyChanged)).toBe(false);
    expect(signet(['following'], reader).stdout).toMatch(new RegExp(`Carol .* signed by ${carol.host.replace('.', '\\.')}`));
  });

  it('keeps the rest when one server never answers, and unfollows', async () => {
    plain.routes.set('/rss.xml', () => undefined);
    const started = Date.now();
    const r = await signetAsync(['fetch', OPEN, '--force', '--timeout', '1'], reader);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/rss\.xml did not answer within 1 s/);
    expect(items(`${plain.origin}/rss.xml`)).toMatchObject([{ title: 'Unsigned hello' }]);
    const before = readFileSync(path.join(reader, 'following.opml'), 'utf8');
    expect(signet(['unfollow', `${plain.origin}/rss.xml`], reader).status).toBe(0);
    const after = readFileSync(path.join(reader, 'following.opml'), 'utf8');
    expect(before.split('\n').filter((l) => !l.includes('/rss.xml'))).toEqual(after.split('\n'));
  });
});

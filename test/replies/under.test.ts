import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { HtmlValidate } from 'html-validate';
import { mf2 } from 'microformats-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSite, signet } from '../helpers/site.js';
import { serveFolder, signedSite, signetAsync, type Served } from '../network/sites.js';

// Replies from the sites Alice follows, under the post they answer. Every site is a real server on
// 127.0.0.1; Alice's `signet fetch` needs the flag that opens loopback addresses.
const OPEN = '--allow-private-network';
let alice: Served, bob: Served, carol: Served, mallory: Served, plain: Served;

const postUrl = () => `${alice.origin}/posts/post-1/`;
const page = () => readFileSync(path.join(alice.root, 'dist/posts/post-1/index.html'), 'utf8');
const config = () => path.join(alice.root, 'signet.config.yaml');
const baseConfig = () => `title: Alice\nurl: ${alice.origin}/\nauthor: Alice writer\n`;

function reply(site: Served, slug: string, text: string, date = '2026-11-10'): void {
  writeFileSync(path.join(site.root, `content/posts/${slug}.md`), `---\ndate: ${date}\nin_reply_to: "${postUrl()}"\n---\n\n${text}\n`);
}

async function ok(args: string[], cwd: string): Promise<string> {
  const r = await signetAsync(args, cwd);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

function build(): string {
  const r = signet(['build'], alice.root);
  expect(r.status, r.stderr).toBe(0);
  return r.stdout + r.stderr;
}

beforeAll(async () => {
  [alice, bob, carol, mallory] = [await signedSite('Alice'), await signedSite('Bob'), await signedSite('Carol'), await signedSite('Mallory')];
  reply(bob, 're-alice', 'Well said, Alice.');
  reply(bob, 'honest', 'Honest words from Bob.', '2026-11-11');
  reply(carol, 're-alice', 'Carol agrees.');
  reply(mallory, 're-alice', 'Mallory shouts.');
  for (const site of [bob, carol, mallory]) site.build();
  // One of Bob's replies is changed on the way: its feed shows words he never signed.
  const feed = path.join(bob.root, 'dist/feed.json');
  writeFileSync(feed, readFileSync(feed, 'utf8').replaceAll('Honest words from Bob.', 'Forged words from Bob.'));
  // A site with no key: its JSON Feed names the post it answers, unsigned.
  plain = await serveFolder(makeSite({}));
  plain.routes.set('/feed.json', JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1', title: 'Plain', home_page_url: `${plain.origin}/`,
    items: [{ id: `${plain.origin}/notes/1/`, url: `${plain.origin}/notes/1/`, content_text: 'Unsigned hello.', date_published: '2026-11-12T00:00:00Z', in_reply_to: { url: postUrl() } }],
  }));
  for (const site of [bob, carol, mallory]) await ok(['follow', `${site.origin}/`, OPEN], alice.root);
  await ok(['follow', `${plain.origin}/feed.json`, OPEN], alice.root);
  await ok(['fetch', OPEN], alice.root);
  build();
});
afterAll(async () => { await Promise.all([alice, bob, carol, mallory, plain].map((s) => s?.close())); });

describe('replies from followed sites under the post they answer', () => {
  it('shows a signed reply with its site, date, a link to the original and "signed by"; never a tampered or (by default) an unsigned one', async () => {
    const html = page();
    expect(html).toContain('<h2 id="replies">Replies</h2>');
    expect(html).toContain(`<a class="p-author h-card" href="${bob.origin}/" rel="nofollow">${bob.host}</a> · <a class="u-url" href="${bob.origin}/posts/re-alice/" rel="nofollow"><time datetime="2026-11-10T00:00:00.000Z">`);
    expect(html).toMatch(new RegExp(`<span class="mark mark-signed">signed by ${bob.host}</span></p>\\n<p class="p-content">Well said, Alice.</p>`));
    expect(html).toContain('Carol agrees.');
    expect(html).toContain('Mallory shouts.');
    expect(html).not.toContain('Forged words');
    expect(html).not.toContain('Honest words');
    expect(html).not.toContain('Unsigned hello.');
    // Other posts show none.
    expect(readFileSync(path.join(alice.root, 'dist/posts/post-2/index.html'), 'utf8')).not.toContain('class="replies"');
    // The page still verifies: the replies sit outside what is signed.
    const verified = signet(['verify', 'dist/posts/post-1/index.html', '--domain', alice.host], alice.root);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    const report = await new HtmlValidate({ extends: ['html-validate:standard'] }).validateString(html, 'post-1.html');
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
  });

  it('marks each reply up as a p-comment h-cite of the post\'s h-entry', () => {
    const entry = mf2(page(), { baseUrl: postUrl() }).items.find((i) => i.type?.includes('h-entry'))!;
    expect(entry.properties.url).toEqual([postUrl()]);
    const comments = entry.properties.comment as { type: string[]; properties: Record<string, unknown[]> }[];
    expect(comments.map((c) => c.type)).toEqual([['h-cite'], ['h-cite'], ['h-cite']]);
    const bobs = comments.find((c) => c.properties.url?.[0] === `${bob.origin}/posts/re-alice/`)!;
    expect(bobs.properties.content).toEqual(['Well said, Alice.']);
    expect((bobs.properties.author?.[0] as { type: string[]; properties: { url: string[] } }).properties.url).toEqual([`${bob.origin}/`]);
  });

  it('hides replies from a site no longer followed, even with its fetch still stored, and from a domain in mute.txt', () => {
    const opml = path.join(alice.root, 'following.opml');
    const before = readFileSync(opml, 'utf8');
    const without = before.split('\n').filter((line) => !line.includes(`${carol.origin}/feed.json`)).join('\n');
    expect(without).not.toBe(before);
    writeFileSync(opml, without);
    writeFileSync(path.join(alice.root, 'mute.txt'), `# people I would rather not hear\n${mallory.host}\n`);
    build();
    const html = page();
    expect(html).toContain('Well said, Alice.');
    expect(html).not.toContain('Carol agrees.');
    expect(html).not.toContain('Mallory shouts.');
    // mute.txt hides the domain on its port only; a line that is not a domain is named.
    writeFileSync(path.join(alice.root, 'mute.txt'), `${mallory.host}\nnot a domain\n`);
    expect(build()).toMatch(/mute\.txt:2: "not a domain" is not a domain/);
  });

  it('`replies: followed` adds unsigned replies, never a tampered one; `none` shows none; a wrong value names its line', () => {
    writeFileSync(config(), `${baseConfig()}replies: followed\n`);
    build();
    let html = page();
    expect(html).toMatch(/<span class="mark mark-unsigned">unsigned<\/span><\/p>\n<p class="p-content">Unsigned hello.<\/p>/);
    expect(html).toContain('Well said, Alice.');
    expect(html).not.toContain('Forged words');
    writeFileSync(config(), `${baseConfig()}replies: none\n`);
    build();
    html = page();
    expect(html).not.toContain('class="replies"');
    expect(html).not.toContain('Well said, Alice.');
    writeFileSync(config(), `${baseConfig()}replies: folowed\n`);
    const bad = signet(['build'], alice.root);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/signet\.config\.yaml:4:\d+: `replies` must be signed, followed, none, not string "folowed"/);
    expect(bad.stderr).toContain('Did you mean `replies: followed`?');
    expect(page()).toBe(html); // a failed build leaves dist/ as it was
    writeFileSync(config(), baseConfig());
  });

  it('shows an edited reply\'s new text, still signed, after the next fetch', async () => {
    reply(bob, 're-alice', 'Well said again, Alice.');
    rmSync(path.join(bob.root, 'content/posts/honest.md'));
    bob.build();
    await ok(['fetch', OPEN], alice.root);
    build();
    const html = page();
    expect(html).toMatch(new RegExp(`signed by ${bob.host}</span></p>\\n<p class="p-content">Well said again, Alice.</p>`));
    expect(html).not.toContain('Well said, Alice.');
  });

  it('drops a deleted reply (gone from its feed, its page answering 410) at the next fetch', async () => {
    rmSync(path.join(bob.root, 'content/posts/re-alice.md'));
    bob.build();
    bob.routes.set('/posts/re-alice/', (_req, res) => void res.writeHead(410, { 'content-type': 'text/html' }).end('<!doctype html><title>Gone</title><p>Deleted.</p>'));
    await ok(['fetch', OPEN], alice.root);
    build();
    const html = page();
    expect(html).not.toContain('Well said again, Alice.');
    expect(html).not.toContain('class="replies"');
  });
});

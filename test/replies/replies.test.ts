import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mf2 } from 'microformats-parser';
import { referenceDigest } from '@signet/sign';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signet } from '../helpers/site.js';
import { signedSite, signetAsync, type Served } from '../network/sites.js';

const OPEN = '--allow-private-network';
let alice: Served, bob: Served;

beforeAll(async () => {
  [alice, bob] = [await signedSite('Alice'), await signedSite('Bob')];
});
afterAll(async () => { await Promise.all([alice, bob].map((s) => s?.close())); });

const envelopeOf = (html: string) => JSON.parse(/<script type="application\/json" id="signed-envelope">([^<]*)<\/script>/.exec(html)![1]!) as Record<string, unknown>;
const aliceFirst = () => (JSON.parse(readFileSync(path.join(alice.root, 'dist/feed.json'), 'utf8')) as { items: { url: string; _signed: { envelope: { url: string } } }[] }).items.map((i) => i._signed.envelope).find((e) => e.url.endsWith('/posts/post-1/'))!;

describe('writing a reply to a post on another domain', () => {
  const replyFile = () => path.join(bob.root, 'content/posts/re-alice-post-1.md');
  const page = () => readFileSync(path.join(bob.root, 'dist/posts/re-alice-post-1/index.html'), 'utf8');

  it('signet reply reads the post, stores what it found and starts a draft with in_reply_to', async () => {
    const target = `${alice.origin}/posts/post-1/`;
    const refused = await signetAsync(['reply', target], bob.root);
    expect(refused.stderr).toMatch(/private, loopback or link-local/);
    rmSync(replyFile(), { force: true });
    const r = await signetAsync(['reply', target, OPEN], bob.root);
    expect(r.status, r.stderr).toBe(0);
    // The site's name from its og:site_name (the theme writes the config's title there).
    expect(r.stdout).toContain(`Read ${target}: "Alice post 1" on Alice, signed by ${alice.host}`);
    expect(r.stdout).toContain('Created content/posts/re-alice-post-1.md');
    expect(readFileSync(replyFile(), 'utf8')).toContain(`in_reply_to: "${target}"`);
    // A second run never overwrites the draft.
    expect((await signetAsync(['reply', target, OPEN], bob.root)).stderr).toMatch(/already exists/);
  });

  it('signs the reference (URL, envelope id and digest) and shows "In reply to … signed by …", offline', () => {
    writeFileSync(replyFile(), readFileSync(replyFile(), 'utf8').replace('draft: true', 'draft: false').replace('Write your reply here.', 'Well said, Alice.'));
    bob.build();
    const target = aliceFirst();
    const html = page();
    expect(envelopeOf(html).in_reply_to).toEqual({ url: target.url, id: target.url, digestMultibase: referenceDigest(target) });
    expect(html).toContain(`In reply to <a class="u-in-reply-to h-cite" href="${target.url}">Alice post 1</a> on <a href="${alice.origin}/">Alice</a> · <span class="mark mark-signed">signed by ${alice.host}</span>`);
    const verified = signet(['verify', 'dist', '--domain', bob.host], bob.root);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
  });

  it('marks posts up with microformats2 that microformats-parser reads: h-entry, its properties and the h-cite replied to', () => {
    const parsed = mf2(page(), { baseUrl: `${bob.origin}/posts/re-alice-post-1/` });
    const entry = parsed.items.find((i) => i.type?.includes('h-entry'))!;
    expect(entry).toBeDefined();
    const p = entry.properties;
    expect(p.url).toEqual([`${bob.origin}/posts/re-alice-post-1/`]);
    expect(String(p.published?.[0])).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect((p.content?.[0] as { value: string }).value).toContain('Well said, Alice.');
    expect(p.name).toBeUndefined(); // an untitled note has no p-name, and no name is implied from its whole text
    const author = p.author?.[0] as { type: string[]; properties: { name: string[] } };
    expect(author.type).toEqual(['h-card']);
    expect(author.properties.name).toEqual(['Bob writer']);
    const cite = p['in-reply-to']?.[0] as { type: string[]; value: string; properties: { url: string[]; name: string[] } };
    expect(cite.type).toEqual(['h-cite']);
    expect(cite.properties.url).toEqual([aliceFirst().url]);
    expect(cite.properties.name).toEqual(['Alice post 1']);
    // A titled post names itself with p-name.
    const titled = mf2(readFileSync(path.join(alice.root, 'dist/posts/post-1/index.html'), 'utf8'), { baseUrl: `${alice.origin}/` }).items.find((i) => i.type?.includes('h-entry'))!;
    expect(titled.properties.name).toEqual(['Alice post 1']);
    expect(titled.properties['in-reply-to']).toBeUndefined();
  });

  it('signet fetch reads the posts that the site\'s posts point at; without it the reply still builds, naming only the URL', async () => {
    rmSync(path.join(bob.root, '.signet/network/targets'), { recursive: true, force: true });
    bob.build();
    const target = aliceFirst();
    expect(envelopeOf(page()).in_reply_to).toEqual({ url: target.url });
    expect(page()).toContain(`In reply to <a class="u-in-reply-to h-cite" href="${target.url}">${target.url}</a></p>`);
    const r = await signetAsync(['fetch', OPEN], bob.root);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Read ${target.url}: "Alice post 1"`);
    expect(existsSync(path.join(bob.root, '.signet/network/targets'))).toBe(true);
    bob.build();
    expect(envelopeOf(page()).in_reply_to).toMatchObject({ id: target.url });
  });

  it('refuses an in_reply_to that is not an absolute http(s) URL, naming the file and line', () => {
    writeFileSync(path.join(bob.root, 'content/posts/bad.md'), '---\ntitle: Bad\ndate: 2026-11-05\nin_reply_to: /posts/x/\n---\n\nx\n');
    const r = signet(['build'], bob.root);
    rmSync(path.join(bob.root, 'content/posts/bad.md'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/content\/posts\/bad\.md:4: .*in_reply_to.*absolute http\(s\) URL/);
  });
});

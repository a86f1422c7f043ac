import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodePublicMultikey, verifyDocumentProof, type SignedEnvelope } from '@signet/sign';
import { describe, expect, it } from 'vitest';
import { makeSite, readTree, signet } from '../helpers/site.js';

const posts = {
  'content/posts/one.md': '---\ntitle: One & only\ndate: 2026-03-01T10:00:00+02:00\ntags: [a, b]\n---\n\nSee [two](../two/) and ![x](/x.png).\r\n\r\nCafe\u0301 line.\n',
  'content/posts/two.md': '---\ndate: 2026-03-02\nupdated: 2026-03-05 12:00\n---\n\nAn untitled note.\n',
};

interface DidDocument {
  id: string;
  '@context': string[];
  verificationMethod: { id: string; type: string; controller: string; publicKeyMultibase: string }[];
  assertionMethod: string[];
}

function envelopesIn(files: Map<string, Buffer>, name: string): string[] {
  const text = files.get(name)!.toString('utf8');
  if (name.endsWith('.json')) {
    return (JSON.parse(text) as { items: { _signed: { envelope: unknown } }[] }).items.map((item) => JSON.stringify(item._signed.envelope));
  }
  const pattern = name.endsWith('.html') ? /<script type="application\/json" id="signed-envelope">([^<]*)<\/script>/g : /<signet:envelope>([^<]*)<\/signet:envelope>/g;
  return [...text.matchAll(pattern)].map((match) => JSON.stringify(JSON.parse(match[1]!)));
}

describe('signed output', () => {
  const root = makeSite({ 'signet.config.yaml': 'title: Blog\nurl: https://example.com/blog/\nauthor: Pen Name\n', ...posts });
  const run = signet(['build'], root);
  const files = readTree(path.join(root, 'dist'));

  it('publishes did:web for a sub-path site at /blog/did.json', () => {
    expect(run.status, run.stderr).toBe(0);
    const did = JSON.parse(files.get('did.json')!.toString('utf8')) as DidDocument;
    expect(did.id).toBe('did:web:example.com:blog');
    expect(did['@context']).toEqual(['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1']);
    expect(did.verificationMethod).toHaveLength(1);
    expect(did.verificationMethod[0]).toMatchObject({ id: 'did:web:example.com:blog#dev-key', type: 'Multikey', controller: 'did:web:example.com:blog' });
    expect(did.verificationMethod[0]!.publicKeyMultibase).toMatch(/^z6Mk/);
    expect(did.assertionMethod).toEqual(['did:web:example.com:blog#dev-key']);
    expect(files.has('.well-known/did.json')).toBe(false);
    expect(files.get('_headers')!.toString()).toContain('/blog/did.json\n  Access-Control-Allow-Origin: *');
    expect(files.get('index.html')!.toString()).toContain('href="/blog/posts/one/"');
  });

  it('carries one byte-identical envelope per post in the page, RSS, Atom, JSON Feed and tag feeds', () => {
    const byUrl = new Map<string, Set<string>>();
    for (const name of ['feed.json', 'feed.xml', 'atom.xml', 'tags/a/feed.json', 'tags/a/feed.xml', 'tags/a/atom.xml', 'posts/one/index.html', 'posts/two/index.html']) {
      const found = envelopesIn(files, name);
      expect(found.length, name).toBeGreaterThan(0);
      for (const envelope of found) {
        const url = (JSON.parse(envelope) as SignedEnvelope).url;
        byUrl.set(url, (byUrl.get(url) ?? new Set()).add(envelope));
      }
    }
    expect([...byUrl.keys()].sort()).toEqual(['https://example.com/blog/posts/one/', 'https://example.com/blog/posts/two/']);
    for (const [url, variants] of byUrl) expect(variants.size, url).toBe(1);
  });

  it('signs envelopes that verify against did.json and follow the value rules', () => {
    const did = JSON.parse(files.get('did.json')!.toString('utf8')) as DidDocument;
    const key = decodePublicMultikey(did.verificationMethod[0]!.publicKeyMultibase);
    const [two, one] = envelopesIn(files, 'feed.json').map((text) => JSON.parse(text) as SignedEnvelope);
    for (const envelope of [one!, two!]) {
      expect(verifyDocumentProof(envelope, key)).toBe(true);
      expect(envelope.proof.verificationMethod).toBe('did:web:example.com:blog#dev-key');
      expect(envelope.proof.cryptosuite).toBe('eddsa-jcs-2022');
    }
    expect(one).toMatchObject({
      id: 'https://example.com/blog/posts/one/',
      title: 'One & only',
      date_published: '2026-03-01T08:00:00Z',
      authors: [{ name: 'Pen Name' }],
      tags: ['a', 'b'],
      language: 'en',
    });
    expect(one!.proof.created).toBe('2026-03-01T08:00:00Z');
    expect(one!.content_html).toContain('href="https://example.com/blog/posts/two/"');
    expect(one!.content_html).toContain('src="https://example.com/x.png"');
    expect(one!.content_html).not.toContain('\r');
    expect(one!.content_html).toContain('Caf\u00e9');
    expect(two).not.toHaveProperty('title');
    expect(two!.date_modified).toBe('2026-03-05T12:00:00Z');
    expect(two!.proof.created).toBe('2026-03-05T12:00:00Z');
    const tampered = { ...one!, title: 'One & other' };
    expect(verifyDocumentProof(tampered, key)).toBe(false);
  });

  it('escapes the envelope so it stays valid XML text and cannot close a script', () => {
    const rss = files.get('feed.xml')!.toString('utf8');
    const envelopeText = /<signet:envelope>([^<]*)<\/signet:envelope>/.exec(rss)![1]!;
    expect(envelopeText).not.toMatch(/[<>&]/);
    expect(envelopeText).toContain('\\u003cp\\u003e');
    expect(rss).toMatch(/^<rss version="2\.0"[^>]* xmlns:signet="urn:signet:ns:signed-posts:v1"/m);
    expect(files.get('atom.xml')!.toString()).toMatch(/<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom" xmlns:signet="urn:signet:ns:signed-posts:v1"/);
  });

  it('percent-encodes a port in the DID', () => {
    const local = makeSite({ 'signet.config.yaml': 'title: Local\nurl: http://localhost:8080/\n', ...posts });
    expect(signet(['build'], local).status).toBe(0);
    const did = JSON.parse(readFileSync(path.join(local, 'dist/.well-known/did.json'), 'utf8')) as DidDocument;
    expect(did.id).toBe('did:web:localhost%3A8080');
  });

  it('keeps old keys listed after rotation and leaves revoked ones out of assertionMethod', () => {
    const site = makeSite({ 'signet.config.yaml': 'title: Keys\nurl: https://keys.example/\n', ...posts });
    const first = /New signing key (\S+)/.exec(signet(['keys', 'generate'], site).stdout)![1]!;
    const second = /New signing key (\S+)/.exec(signet(['keys', 'rotate'], site).stdout)![1]!;
    expect(second).not.toBe(first);
    expect(signet(['keys', 'revoke', first, '--at', '2026-01-01'], site).status).toBe(0);
    const build = signet(['build'], site);
    expect(build.status, build.stderr).toBe(0);
    const did = JSON.parse(readFileSync(path.join(site, 'dist/.well-known/did.json'), 'utf8')) as DidDocument & { verificationMethod: { revoked?: string }[] };
    expect(did.verificationMethod.map((m) => m.id)).toEqual([`did:web:keys.example#${first}`, `did:web:keys.example#${second}`]);
    expect(did.verificationMethod[0]!.revoked).toBe('2026-01-01T00:00:00Z');
    expect(did.assertionMethod).toEqual([`did:web:keys.example#${second}`]);
    expect(readFileSync(path.join(site, 'dist/feed.xml'), 'utf8')).toContain(`did:web:keys.example#${second}`);
  });
});

describe('writing about HTML', () => {
  it('a post that mentions href="/about/" or src="logo.png" in prose, code and a code block is signed and verifies', () => {
    const body = [
      'Link pages with href="/about/" and images with src="logo.png".',
      '',
      'Inline: `<a href="/about/">About</a>` and `<img src="logo.png">`, and an [empty link]() too.',
      '',
      '```html',
      '<a href="/about/">About</a>',
      '<img src=logo.png alt="">',
      '<a href="">this page</a>',
      '```',
      '',
    ].join('\n');
    for (const trustHtml of [false, true]) {
      const root = makeSite({
        'signet.config.yaml': `title: T\nurl: https://t.example/\nauthor: A\nmarkdown:\n  trustHtml: ${trustHtml}\n`,
        'content/posts/html.md': `---\ntitle: Writing about href="/about/"\ndate: 2026-03-01\n---\n\n${body}`,
      });
      const build = signet(['build'], root);
      expect(build.status, build.stderr).toBe(0);
      const page = readFileSync(path.join(root, 'dist/posts/html/index.html'), 'utf8');
      expect(page).toContain('href="/about/"');
      const verify = signet(['verify', 'dist', '--domain', 't.example'], root);
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    }
  });
});

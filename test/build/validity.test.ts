import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parseFeed } from 'feedsmith';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { envelopeInPage, envelopesInJsonFeed, envelopesInXmlFeed, parseXml, verifyWithDigitalBazaar, verifyWithTweetnacl, type DidDocument, type Found } from '../helpers/independent.js';
import { buildSites, REPO } from '../helpers/site.js';

const built = buildSites();

describe.each(built)('output of $site', ({ run, files }) => {
  it('builds', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(files.size).toBeGreaterThan(5);
  });

  it('every HTML page passes html-validate (standard preset)', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
    const problems: string[] = [];
    for (const [name, bytes] of files) {
      if (!name.endsWith('.html')) continue;
      const report = await validator.validateString(bytes.toString('utf8'), name);
      for (const result of report.results) {
        for (const message of result.messages) problems.push(`${name}:${message.line}:${message.column} ${message.ruleId}: ${message.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every post in every format verifies with independent verifiers, and a changed byte fails', async () => {
    const did = JSON.parse(files.get('.well-known/did.json')!.toString('utf8')) as DidDocument;
    const { posts, inFeeds } = signedOutputs(files);
    expect(posts.size).toBeGreaterThan(0);
    const formats = new Set(inFeeds.map((found) => found.where.replace(/^.*\.(xml|json) item.*$/, '$1')));
    expect([...formats].sort()).toEqual(['json', 'xml']);
    for (const found of [...posts.values(), ...inFeeds]) {
      expect(found.envelope.proof.verificationMethod.startsWith(`${did.id}#`), found.where).toBe(true);
      const bazaar = await verifyWithDigitalBazaar(found.envelope, did);
      expect(bazaar, found.where).toEqual({ verified: true, error: undefined });
      expect(verifyWithTweetnacl(found.envelope, did), found.where).toBe(true);
      // Each format carries the very envelope the post's page carries.
      expect(found.envelope, found.where).toEqual(posts.get(found.envelope.url)?.envelope);
    }
    // One changed byte in the signed content, in each format: both verifiers say no.
    const firsts = [[...posts.values()][0]!, ...['feed.xml item', 'atom.xml item', 'feed.json item'].map((at) => inFeeds.find((f) => f.where.startsWith(at))!)];
    for (const found of firsts) {
      const changed = structuredClone(found.envelope);
      const text = changed.content_html as string;
      const at = Math.floor(text.length / 2);
      changed.content_html = text.slice(0, at) + (text[at] === 'x' ? 'y' : 'x') + text.slice(at + 1);
      expect((await verifyWithDigitalBazaar(changed, did)).verified, found.where).toBe(false);
      expect(verifyWithTweetnacl(changed, did), found.where).toBe(false);
    }
  });

  it('every RSS, Atom and JSON Feed is well-formed and parses with feedsmith, its items the newest posts', () => {
    const { posts } = signedOutputs(files);
    const feeds = [...files.keys()].filter((name) => /(^|\/)(feed\.xml|atom\.xml|feed\.json)$/.test(name));
    expect(feeds.length).toBeGreaterThanOrEqual(3);
    for (const name of feeds) {
      const text = files.get(name)!.toString('utf8');
      if (name.endsWith('.xml')) parseXml(text, name);
      const { format, items } = feedItems(text);
      expect(format, name).toBe(name.endsWith('atom.xml') ? 'atom' : name.endsWith('.json') ? 'json' : 'rss');
      // A tag's feeds hold that tag's posts; the site's feeds hold every post (newest first).
      const tag = /^tags\/([^/]+)\//.exec(name)?.[1];
      const expected = [...posts.values()].map((p) => p.envelope).filter((e) => tag === undefined || (e.tags as string[] | undefined)?.some((t) => name.startsWith(`tags/${slug(t)}/`)));
      expect(items.length, name).toBe(Math.min(expected.length, 20));
      for (const item of items) {
        const envelope = posts.get(item.url)?.envelope;
        expect(envelope, `${name}: ${item.url} is no post`).toBeDefined();
        expect(item.title, `${name}: ${item.url}`).toBe(envelope!.title);
        expect(item.content, `${name}: ${item.url}`).toBe(envelope!.content_html);
        expect(item.published, `${name}: ${item.url}`).toBe(Date.parse(envelope!.date_published as string));
        expect(item.tags, `${name}: ${item.url}`).toEqual((envelope!.tags as string[] | undefined) ?? []);
      }
      const dates = items.map((item) => item.published);
      expect(dates, name).toEqual([...dates].sort((a, b) => b - a));
    }
  });

  it('every feed.json validates against the JSON Feed 1.1 schema', () => {
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, 'test/schemas/jsonfeed-1.1.schema.json'), 'utf8')) as object);
    const jsonFeeds = [...files.keys()].filter((name) => name.endsWith('feed.json'));
    expect(jsonFeeds.length).toBeGreaterThanOrEqual(1);
    for (const name of jsonFeeds) {
      const feed = JSON.parse(files.get(name)!.toString('utf8')) as { items: { _signed?: { envelope?: unknown } }[] };
      expect(validate(feed), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      for (const item of feed.items) expect(item._signed?.envelope).toBeTypeOf('object');
    }
  });

  it('makes no request to any other host: no external scripts, styles or fonts', () => {
    for (const [name, bytes] of files) {
      if (!name.endsWith('.html') && !name.endsWith('.css')) continue;
      const text = bytes.toString('utf8');
      expect(text, name).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
      expect(text, name).not.toMatch(/<link[^>]+rel="stylesheet"[^>]+href="(https?:)?\/\//);
      expect(text, name).not.toMatch(/@import|url\((https?:)?\/\//);
    }
  });
});

/** Each post's page envelope by URL, and every envelope the feeds carry, found without Signet's code. */
function signedOutputs(files: Map<string, Buffer>): { posts: Map<string, Found>; inFeeds: Found[] } {
  const posts = new Map<string, Found>();
  const inFeeds: Found[] = [];
  for (const [name, bytes] of files) {
    const text = bytes.toString('utf8');
    if (name.endsWith('.html')) {
      const found = envelopeInPage(text, name);
      if (!found) continue;
      expect(found.envelope.url.endsWith(`/${path.posix.dirname(name)}/`), `${name} carries ${found.envelope.url}`).toBe(true);
      posts.set(found.envelope.url, found);
    } else if (/(^|\/)(feed|atom)\.xml$/.test(name)) inFeeds.push(...envelopesInXmlFeed(text, name));
    else if (/(^|\/)feed\.json$/.test(name)) inFeeds.push(...envelopesInJsonFeed(text, name));
  }
  return { posts, inFeeds };
}

interface FeedItem { url: string; title: string | undefined; content: string | undefined; published: number; tags: string[] }

/** What a feed reader takes from each item, whatever the format, as feedsmith parses it. */
function feedItems(text: string): { format: string; items: FeedItem[] } {
  const parsed = parseFeed(text);
  const date = (value: unknown) => Date.parse(String(value ?? ''));
  const plain = (value: unknown) => (typeof value === 'object' && value !== null ? (value as { value?: string }).value : (value as string | undefined)) || undefined;
  switch (parsed.format) {
    case 'rss':
      return { format: 'rss', items: (parsed.feed.items ?? []).map((item) => ({
        url: item.link ?? '', title: item.title, content: item.content?.encoded, published: date(item.pubDate),
        tags: (item.categories ?? []).map((c) => c.name ?? ''),
      })) };
    case 'atom':
      return { format: 'atom', items: (parsed.feed.entries ?? []).map((entry) => ({
        url: entry.links?.find((l) => l.rel === 'alternate')?.href ?? '', title: plain(entry.title), content: plain(entry.content),
        published: date(entry.published), tags: (entry.categories ?? []).map((c) => c.term ?? ''),
      })) };
    case 'json':
      return { format: 'json', items: (parsed.feed.items ?? []).map((item) => ({
        url: item.url ?? '', title: item.title, content: item.content_html, published: date(item.date_published), tags: item.tags ?? [],
      })) };
    default:
      return { format: parsed.format, items: [] };
  }
}

/** A tag's folder name, as the build makes it (lower case, words joined by hyphens). */
function slug(tag: string): string {
  return tag.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

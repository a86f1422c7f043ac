import { NAMESPACE_PREFIX, NAMESPACE_URI, SPEC_URL, publicKeyFromSeed, verifyDocumentProof } from '@signet/sign';
import { describe, expect, it } from 'vitest';
import { writeAtom, writeJsonFeed, writeRss } from '../src/index.js';
import { channel, child, children, envelope, parseXml, type XmlNode } from './helpers.js';

const ATOM = 'http://www.w3.org/2005/Atom';
const CONTENT = 'http://purl.org/rss/1.0/modules/content/';
const SEED = new Uint8Array(32).map((_, i) => i + 1);

const titled = envelope({
  id: 'https://example.com/posts/tags/',
  title: 'Tags <script>alert(1)</script> & "quotes"',
  content_html: '<p>a &amp; b <a href="https://example.com/x?a=1&amp;b=2">link</a> \u2028 ]]></p>\n',
  summary: 'Short & <sweet>',
  date_published: '2026-01-05T10:00:00Z',
  date_modified: '2026-02-01T08:00:00Z',
  tags: ['c&d', 'plain'],
});
const untitled = envelope({ id: 'https://example.com/posts/note/', content_html: '<p>Just a note.</p>\n', date_published: '2026-01-10T12:00:00Z' });
const items = [untitled, titled];

function envelopeOf(node: XmlNode | undefined): unknown {
  const element = child(node, 'envelope');
  expect(element?.ns).toBe(NAMESPACE_URI);
  return JSON.parse(element!.text);
}

/** The raw text between `<signet:envelope>` tags, before any XML unescaping. */
function rawEnvelopes(xml: string): string[] {
  return [...xml.matchAll(new RegExp(`<${NAMESPACE_PREFIX}:envelope>([\\s\\S]*?)</${NAMESPACE_PREFIX}:envelope>`, 'g'))].map((m) => m[1]!);
}

describe('RSS 2.0', () => {
  const xml = writeRss(channel, items);
  const root = parseXml(xml);
  const rssChannel = child(root, 'channel');
  const [first, second] = children(rssChannel, 'item');

  it('is well-formed and declares the signet namespace on the root', () => {
    expect(root.name).toBe('rss');
    expect(root.attrs.version).toBe('2.0');
    expect(root.attrs[`xmlns:${NAMESPACE_PREFIX}`]).toBe(NAMESPACE_URI);
    expect(NAMESPACE_PREFIX).toBe('signet');
  });

  it('escapes channel and item text', () => {
    expect(child(rssChannel, 'title')?.text).toBe('Field & Notes <blog>');
    expect(child(rssChannel, 'description')?.text).toBe('Notes "from" the field');
    expect(child(second, 'title')?.text).toBe('Tags <script>alert(1)</script> & "quotes"');
    expect(xml).not.toContain('<script>');
    // The description is HTML to feed readers: the plain-text summary arrives escaped, never as markup.
    expect(child(second, 'description')?.text).toBe('Short &amp; &lt;sweet&gt;');
    expect(children(second, 'category').map((c) => c.text)).toEqual(['c&d', 'plain']);
  });

  it('a description made from content cannot turn escaped text back into markup', () => {
    const code = envelope({ id: 'https://example.com/posts/code/', content_html: '<p><code>&#x3C;script>alert(1)&#x3C;/script></code></p>\n' });
    const item = child(child(parseXml(writeRss(channel, [code])), 'channel'), 'item');
    expect(child(item, 'description')?.text).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('carries full content in content:encoded', () => {
    const encoded = child(second, 'encoded');
    expect(encoded?.ns).toBe(CONTENT);
    expect(encoded?.text).toBe(titled.content_html);
  });

  it('leaves out <title> for an untitled item', () => {
    expect(child(first, 'title')).toBeUndefined();
    expect(child(first, 'link')?.text).toBe('https://example.com/posts/note/');
    expect(child(first, 'guid')?.attrs.isPermaLink).toBe('true');
    expect(child(first, 'pubDate')?.text).toBe('Sat, 10 Jan 2026 12:00:00 GMT');
  });

  it('embeds each envelope unchanged, still verifiable, with no raw < or &', () => {
    expect(envelopeOf(first)).toEqual(untitled);
    expect(envelopeOf(second)).toEqual(titled);
    expect(verifyDocumentProof(envelopeOf(second) as typeof titled, publicKeyFromSeed(SEED))).toBe(true);
    const raw = rawEnvelopes(xml);
    expect(raw).toHaveLength(2);
    for (const text of raw) {
      expect(text).not.toMatch(/[<>&\u2028\u2029]/);
      expect(text).toContain('\\u003c');
    }
  });

  it('dates the channel by its newest item, not the clock', () => {
    expect(child(rssChannel, 'lastBuildDate')?.text).toBe('Sun, 01 Feb 2026 08:00:00 GMT');
    expect(writeRss(channel, items)).toBe(xml);
  });
});

describe('Atom 1.0', () => {
  const xml = writeAtom(channel, items);
  const root = parseXml(xml);
  const [first, second] = children(root, 'entry');

  it('is well-formed and declares the signet namespace on the root', () => {
    expect(root.ns).toBe(ATOM);
    expect(root.name).toBe('feed');
    expect(root.attrs[`xmlns:${NAMESPACE_PREFIX}`]).toBe(NAMESPACE_URI);
    expect(root.attrs['xml:lang']).toBe('en');
    expect(child(root, 'title')?.text).toBe('Field & Notes <blog>');
    expect(child(root, 'subtitle')?.text).toBe('Notes "from" the field');
  });

  it('gives an untitled entry an empty title', () => {
    const title = child(first, 'title');
    expect(title).toBeDefined();
    expect(title?.text).toBe('');
    expect(child(second, 'title')?.text).toBe('Tags <script>alert(1)</script> & "quotes"');
  });

  it('carries content as escaped HTML, dates and categories', () => {
    expect(child(second, 'content')?.attrs.type).toBe('html');
    expect(child(second, 'content')?.text).toBe(titled.content_html);
    expect(child(second, 'published')?.text).toBe('2026-01-05T10:00:00Z');
    expect(child(second, 'updated')?.text).toBe('2026-02-01T08:00:00Z');
    expect(child(first, 'updated')?.text).toBe('2026-01-10T12:00:00Z');
    expect(children(second, 'category').map((c) => c.attrs.term)).toEqual(['c&d', 'plain']);
  });

  it('embeds each envelope unchanged in the signet namespace', () => {
    expect(envelopeOf(first)).toEqual(untitled);
    expect(envelopeOf(second)).toEqual(titled);
    for (const text of rawEnvelopes(xml)) expect(text).not.toMatch(/[<>&]/);
  });

  it('is updated at its newest item and byte-identical on a second run', () => {
    expect(child(root, 'updated')?.text).toBe('2026-02-01T08:00:00Z');
    expect(writeAtom(channel, items)).toBe(xml);
  });
});

describe('JSON Feed 1.1', () => {
  const text = writeJsonFeed(channel, items);
  const feed = JSON.parse(text) as { items: Record<string, unknown>[] } & Record<string, unknown>;

  it('has version 1.1 and an authors array', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.authors).toEqual([{ name: 'Ada', url: 'https://example.com/about/' }]);
    expect(feed).not.toHaveProperty('author');
    expect(feed.feed_url).toBe('https://example.com/feed.json');
    expect(feed.home_page_url).toBe('https://example.com/');
    expect(feed.language).toBe('en');
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('has no title key for an untitled item', () => {
    expect(feed.items[0]).not.toHaveProperty('title');
    expect(feed.items[1]?.title).toBe('Tags <script>alert(1)</script> & "quotes"');
  });

  it('shows the envelope fields and carries the envelope under _signed', () => {
    const { proof: _proof, ...fields } = titled;
    const { _signed, ...shown } = feed.items[1]!;
    expect(shown).toEqual(fields);
    expect(_signed).toEqual({ about: SPEC_URL, envelope: titled });
  });
});

describe('fullContent: false', () => {
  const summaryOnly = { ...channel, fullContent: false };

  it('RSS shows the summary only', () => {
    const item = children(child(parseXml(writeRss(summaryOnly, items)), 'channel'), 'item')[1];
    expect(child(item, 'encoded')).toBeUndefined();
    expect(child(item, 'description')?.text).toBe('Short &amp; &lt;sweet&gt;');
    expect(envelopeOf(item)).toEqual(titled);
  });

  it('Atom shows the summary only', () => {
    const entry = children(parseXml(writeAtom(summaryOnly, items)), 'entry')[1];
    expect(child(entry, 'content')).toBeUndefined();
    expect(child(entry, 'summary')?.text).toBe('Short & <sweet>');
    expect(envelopeOf(entry)).toEqual(titled);
  });

  it('JSON Feed has content_text instead of content_html, and the full envelope', () => {
    const feed = JSON.parse(writeJsonFeed(summaryOnly, items)) as { items: Record<string, unknown>[] };
    expect(feed.items[1]).not.toHaveProperty('content_html');
    expect(feed.items[1]?.content_text).toBe('Short & <sweet>');
    expect(feed.items[0]?.content_text).toBe('Just a note.');
    expect((feed.items[1]?._signed as { envelope: unknown }).envelope).toEqual(titled);
  });
});

describe('empty feeds', () => {
  it('are valid and dated at the epoch rather than the clock', () => {
    const root = parseXml(writeAtom({ ...channel, description: '' }, []));
    expect(child(root, 'updated')?.text).toBe('1970-01-01T00:00:00Z');
    expect(child(root, 'subtitle')).toBeUndefined();
    const rss = child(parseXml(writeRss({ ...channel, description: '' }, [])), 'channel');
    expect(child(rss, 'lastBuildDate')?.text).toBe('Thu, 01 Jan 1970 00:00:00 GMT');
    expect(child(rss, 'description')?.text).toBe('Field & Notes <blog>');
    const json = JSON.parse(writeJsonFeed({ ...channel, description: '' }, [])) as Record<string, unknown>;
    expect(json.items).toEqual([]);
    expect(json).not.toHaveProperty('description');
  });
});

describe('funding links', () => {
  const links = [{ label: 'Ko-fi', url: 'https://ko-fi.com/wren' }];
  const funded = envelope({ id: 'https://example.com/posts/funded/', content_html: '<p>Funded.</p>\n', date_published: '2026-01-11T12:00:00Z', _funding: { about: 'urn:signet:spec:funding:v1', links: [{ label: 'Patreon', url: 'https://patreon.com/wren' }] } });
  const site = { ...channel, funding: links };

  it('none: no podcast namespace and no payment links, as before', () => {
    for (const text of [writeRss(channel, items), writeAtom(channel, items), writeJsonFeed(channel, items)]) {
      expect(text).not.toMatch(/podcast|payment|_funding/);
    }
  });

  it('RSS: podcast:funding and atom:link rel=payment for the feed and each item', () => {
    const root = parseXml(writeRss(site, [funded, untitled]));
    expect(root.attrs['xmlns:podcast']).toBe('https://podcastindex.org/namespace/1.0');
    const rssChannel = child(root, 'channel');
    expect(children(rssChannel, 'funding').map((f) => [f.attrs.url, f.text])).toEqual([['https://ko-fi.com/wren', 'Ko-fi']]);
    const [first, second] = children(rssChannel, 'item');
    expect(children(first, 'link').filter((l) => l.attrs.rel === 'payment').map((l) => l.attrs.href)).toEqual(['https://patreon.com/wren']);
    expect(children(second, 'funding')).toEqual([]);
  });

  it('Atom: link rel=payment for the feed and each entry; JSON Feed: _funding at both levels', () => {
    const root = parseXml(writeAtom(site, [funded]));
    expect(children(root, 'link').filter((l) => l.attrs.rel === 'payment').map((l) => l.attrs.href)).toEqual(['https://ko-fi.com/wren']);
    expect(children(child(root, 'entry'), 'link').filter((l) => l.attrs.rel === 'payment').map((l) => l.attrs.href)).toEqual(['https://patreon.com/wren']);
    const json = JSON.parse(writeJsonFeed(site, [funded]));
    expect(json._funding).toEqual({ about: 'urn:signet:spec:funding:v1', links });
    expect(json.items[0]._funding.links[0].url).toBe('https://patreon.com/wren');
  });
});

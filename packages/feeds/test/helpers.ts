import { DOMParser, type Element, type Text } from '@xmldom/xmldom';
import { signEnvelope, type EnvelopeItem, type SignedEnvelope } from '@signet/sign';
import type { FeedChannel } from '../src/index.js';

/** A fixed key, so envelopes (and so the feeds) are the same on every run. */
const SEED = new Uint8Array(32).map((_, i) => i + 1);

export function envelope(item: Partial<EnvelopeItem> & { id: string }): SignedEnvelope {
  const full: EnvelopeItem = {
    url: item.id,
    content_html: '<p>Text.</p>\n',
    date_published: '2026-01-05T10:00:00Z',
    authors: [{ name: 'Ada' }],
    language: 'en',
    ...item,
  };
  return signEnvelope(full, { seed: SEED, verificationMethod: 'did:web:example.com#key-2026-01', created: full.date_published });
}

export const channel: FeedChannel = {
  title: 'Field & Notes <blog>',
  description: 'Notes "from" the field',
  language: 'en',
  homePageUrl: 'https://example.com/',
  urls: { rss: 'https://example.com/feed.xml', atom: 'https://example.com/atom.xml', json: 'https://example.com/feed.json' },
  author: { name: 'Ada', url: 'https://example.com/about/' },
  fullContent: true,
};

/** A parsed XML element: namespace URI, local name, attributes, text of its own text nodes, children. */
export interface XmlNode {
  ns: string | null;
  name: string;
  prefix: string | null;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
}

/**
 * Parses XML with xmldom (a namespace-aware W3C DOM parser); throws when it is not well-formed,
 * as a feed reader's strict parser would.
 */
export function parseXml(text: string): XmlNode {
  const parser = new DOMParser({
    // XML 1.0's line ends (the feeds' version): xmldom's default, XML 1.1's, would also turn
    // U+2028, U+2029 and U+0085 in the text into newlines.
    normalizeLineEndings: (input) => input.replace(/\r\n?/g, '\n'),
    onError: (level, message) => {
      if (level !== 'warning') throw new Error(`not well-formed XML: ${message}`);
    },
  });
  return walk(parser.parseFromString(text, 'application/xml').documentElement!);
}

function walk(node: Element): XmlNode {
  const attrs: Record<string, string> = {};
  for (const attr of Array.from(node.attributes)) attrs[attr.name] = attr.value;
  const own = Array.from(node.childNodes);
  return {
    ns: node.namespaceURI,
    name: node.localName,
    prefix: node.prefix,
    attrs,
    text: own.filter((c) => c.nodeType === c.TEXT_NODE || c.nodeType === c.CDATA_SECTION_NODE).map((c) => (c as Text).data).join(''),
    children: own.filter((c): c is Element => c.nodeType === c.ELEMENT_NODE).map(walk),
  };
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

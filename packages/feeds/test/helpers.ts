import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

const PARSER = `
import json, sys, xml.dom.minidom
def walk(n):
    return {"ns": n.namespaceURI, "name": n.localName, "prefix": n.prefix,
            "attrs": {a.name: a.value for a in n.attributes.values()},
            "text": "".join(c.data for c in n.childNodes if c.nodeType in (c.TEXT_NODE, c.CDATA_SECTION_NODE)),
            "children": [walk(c) for c in n.childNodes if c.nodeType == c.ELEMENT_NODE]}
print(json.dumps(walk(xml.dom.minidom.parse(sys.argv[1]).documentElement)))
`;

/** Parses XML with Python's minidom (a real, namespace-aware parser); throws when it is not well-formed. */
export function parseXml(text: string): XmlNode {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-feeds-'));
  try {
    const file = path.join(dir, 'feed.xml');
    writeFileSync(file, text);
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PARSER, file], { encoding: 'utf8' })) as XmlNode;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

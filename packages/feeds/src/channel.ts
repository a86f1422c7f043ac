import type { SignedEnvelope } from '@signet/sign';

/**
 * Feeds are written by hand here rather than with the `feed` package: it writes JSON Feed 1.0 (not
 * 1.1), drops per-item extensions in Atom, cannot declare a namespace on the root element, and stamps
 * the current time when `updated` is missing. The signed envelope needs all of those, so each format
 * is a small pure function instead (rss.ts, atom.ts, json-feed.ts).
 */
export interface FeedChannel {
  title: string;
  description: string;
  language: string;
  /** The page this feed belongs to (the home page, or a tag page). */
  homePageUrl: string;
  /** Where each format of this feed is published. */
  urls: { rss: string; atom: string; json: string };
  author: { name: string; url?: string };
  /** Items carry full content (`content_html`); when false only the summary is shown outside the envelope. */
  fullContent: boolean;
}

/** An item is its signed envelope: every field a feed shows comes from it, so nothing can disagree. */
export type FeedItem = SignedEnvelope;

/** The newest date of any item: a feed's `updated` without reading the clock. */
export function lastUpdated(items: FeedItem[]): string {
  let latest = '1970-01-01T00:00:00Z';
  for (const item of items) {
    const date = item.date_modified ?? item.date_published;
    if (date > latest) latest = date;
  }
  return latest;
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'))
    // Characters XML 1.0 cannot carry at all; they could only come from a broken source file.
    .replace(/[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g, '');
}

/** The short text a reader shows for an item: the summary, else the text of the content. */
export function summaryText(item: FeedItem): string {
  if (item.summary) return item.summary;
  const text = stripTags(item.content_html).replace(/&[a-z#0-9]+;/gi, decodeEntity).replace(/\s+/g, ' ').trim();
  return text.length > 280 ? `${text.slice(0, 279)}…` : text;
}

/**
 * `html.replace(/<[^>]*>/g, ' ')` in one pass: that pattern, tried from every `<` of a text with many
 * and no `>`, was quadratic.
 */
function stripTags(html: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = html.indexOf('<', at);
    const close = open === -1 ? -1 : html.indexOf('>', open + 1);
    if (close === -1) return out + html.slice(at);
    out += `${html.slice(at, open)} `;
    at = close + 1;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The HTML serializer writes `&` as `&#x26;`: a summary must show the character, not drop it. */
function decodeEntity(reference: string): string {
  const name = reference.slice(1, -1);
  if (name.startsWith('#')) {
    const code = /^#x/i.test(name) ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
  }
  return ENTITIES[name.toLowerCase()] ?? ' ';
}

import type { FundingLink, SignedEnvelope } from '@signet/sign';

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
  /** `avatar` is an absolute URL (JSON Feed shows it). */
  author: { name: string; url?: string; avatar?: string };
  /** The site's funding links, shown at feed level; each item shows its own, from its envelope. */
  funding?: FundingLink[];
  /** The site's icon, absolute: JSON Feed's `icon` and `favicon`, Atom's `<icon>`. */
  icon?: string;
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

/** The short text a reader shows for an item: its excerpt (see `excerpt`). */
export function summaryText(item: FeedItem): string {
  return excerpt(item.summary, item.content_html);
}

/** How long an excerpt made from a post's text may be, in characters. */
export const EXCERPT_LENGTH = 300;

/**
 * A post's excerpt, the one rule listings and feeds share: its `summary` (which the build fills
 * from the part before `<!--more-->` when the front matter has none), else its text up to the end of
 * its first paragraph (a heading before it included: a verifier checks that an excerpt is the start
 * of the signed text, spec §7.4), cut at a word near 300 characters. Reads the HTML up to the first
 * `</p>` only.
 */
export function excerpt(summary: string | undefined, html: string): string {
  if (summary) return summary;
  const close = html.indexOf('</p>');
  return cutAtWord(htmlText(close === -1 ? html : html.slice(0, close)), EXCERPT_LENGTH);
}

/**
 * HTML as one line of text: tags dropped, references decoded, white space collapsed. Each replace only
 * where it changes something: `/\s+/g` matched every single space between words, and a listing makes
 * an excerpt for every post.
 */
export function htmlText(html: string): string {
  let text = stripTags(html);
  if (text.includes('&')) text = text.replace(/&[a-z#0-9]+;/gi, decodeEntity);
  if (/\s\s|[^\S ]/.test(text)) text = text.replace(/\s+/g, ' ');
  return text.trim();
}

/** `text` cut to at most `max` characters with `…`, between words unless a word is most of it. */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The text of HTML: each tag dropped, a space in place of any but an inline one (`<em>two</em>.`
 * stays `two.`, `a<br>b` becomes `a b`). One pass: `/<[^>]*>/g`, tried from every `<` of a
 * text with many and no `>`, was quadratic.
 */
function stripTags(html: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const open = html.indexOf('<', at);
    const close = open === -1 ? -1 : html.indexOf('>', open + 1);
    if (close === -1) return out + html.slice(at);
    const name = /^\/?([a-z0-9]*)/i.exec(html.slice(open + 1, Math.min(close, open + 12)))![1]!.toLowerCase();
    out += INLINE.has(name) ? html.slice(at, open) : `${html.slice(at, open)} `;
    at = close + 1;
  }
}

const INLINE = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var']);

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

/** Podcasting 2.0's namespace, for `<podcast:funding>` in RSS. */
export const PODCAST_NAMESPACE = 'https://podcastindex.org/namespace/1.0';

/** Whether the feed or any item has funding links: only then do the feeds declare and write them. */
export function hasFunding(channel: FeedChannel, items: FeedItem[]): boolean {
  return channel.funding !== undefined || items.some((item) => item._funding !== undefined);
}

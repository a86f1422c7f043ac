import { embedJson, NAMESPACE_PREFIX, NAMESPACE_URI } from '@signet/sign';
import type { FundingLink } from '@signet/sign';
import { escapeXml as x, hasFunding, lastUpdated, PODCAST_NAMESPACE, summaryText, type FeedChannel, type FeedItem } from './channel.js';

/** Podcasting 2.0 `<podcast:funding>` (its label at most 128 characters) and `<atom:link rel="payment">`. */
function funding(links: FundingLink[] | undefined, out: string[]): void {
  for (const link of links ?? []) {
    out.push(`<podcast:funding url="${x(link.url)}">${x(link.label)}</podcast:funding>`, `<atom:link rel="payment" href="${x(link.url)}" title="${x(link.label)}"/>`);
  }
}

/** RFC 822 dates, as RSS 2.0 requires: `Tue, 10 Jun 2003 04:00:00 GMT`. */
export function rfc822(iso: string): string {
  return new Date(iso).toUTCString();
}

/** RSS 2.0 with full content in `content:encoded` and the signed envelope in `signet:envelope`. */
export function writeRss(channel: FeedChannel, items: FeedItem[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom"${hasFunding(channel, items) ? ` xmlns:podcast="${PODCAST_NAMESPACE}"` : ''} xmlns:${NAMESPACE_PREFIX}="${NAMESPACE_URI}">`,
    '<channel>',
    `<title>${x(channel.title)}</title>`,
    `<link>${x(channel.homePageUrl)}</link>`,
    `<description>${x(channel.description || channel.title)}</description>`,
    `<language>${x(channel.language)}</language>`,
    `<lastBuildDate>${rfc822(lastUpdated(items))}</lastBuildDate>`,
    '<generator>Signet</generator>',
    `<atom:link href="${x(channel.urls.rss)}" rel="self" type="application/rss+xml"/>`,
  ];
  funding(channel.funding, out);
  for (const item of items) {
    out.push('<item>');
    if (item.title !== undefined) out.push(`<title>${x(item.title)}</title>`);
    out.push(`<link>${x(item.url)}</link>`);
    out.push(`<guid isPermaLink="${item.id === item.url}">${x(item.id)}</guid>`);
    out.push(`<pubDate>${rfc822(item.date_published)}</pubDate>`);
    for (const author of item.authors) out.push(`<dc:creator>${x(author.name)}</dc:creator>`);
    // Readers treat an item's description as HTML: escape the plain-text summary once as HTML, once as XML.
    out.push(`<description>${x(x(summaryText(item)))}</description>`);
    if (channel.fullContent) out.push(`<content:encoded>${x(item.content_html)}</content:encoded>`);
    for (const tag of item.tags ?? []) out.push(`<category>${x(tag)}</category>`);
    funding(item._funding?.links, out);
    out.push(`<${NAMESPACE_PREFIX}:envelope>${embedJson(item)}</${NAMESPACE_PREFIX}:envelope>`);
    out.push('</item>');
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

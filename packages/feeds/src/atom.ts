import { embedJson, NAMESPACE_PREFIX, NAMESPACE_URI } from '@signet/sign';
import { escapeXml as x, lastUpdated, summaryText, type FeedChannel, type FeedItem } from './channel.js';

/** Atom 1.0 (RFC 4287) with the signed envelope in `signet:envelope` inside each entry. */
export function writeAtom(channel: FeedChannel, items: FeedItem[]): string {
  const author = (name: string, url?: string) =>
    `<author><name>${x(name)}</name>${url ? `<uri>${x(url)}</uri>` : ''}</author>`;
  const payment = (links: { label: string; url: string }[] | undefined) => {
    for (const link of links ?? []) out.push(`<link rel="payment" href="${x(link.url)}" title="${x(link.label)}"/>`);
  };
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:${NAMESPACE_PREFIX}="${NAMESPACE_URI}" xml:lang="${x(channel.language)}">`,
    `<id>${x(channel.homePageUrl)}</id>`,
    `<title>${x(channel.title)}</title>`,
  ];
  if (channel.description) out.push(`<subtitle>${x(channel.description)}</subtitle>`);
  out.push(
    `<updated>${lastUpdated(items)}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${x(channel.urls.atom)}"/>`,
    `<link rel="alternate" type="text/html" href="${x(channel.homePageUrl)}"/>`,
    author(channel.author.name, channel.author.url),
    '<generator>Signet</generator>',
  );
  payment(channel.funding);
  if (channel.icon) out.push(`<icon>${x(channel.icon)}</icon>`);
  for (const item of items) {
    out.push('<entry>');
    out.push(`<id>${x(item.id)}</id>`);
    // RFC 4287 requires a title; an untitled note gets an empty one rather than invented words.
    out.push(`<title type="text">${x(item.title ?? '')}</title>`);
    out.push(`<link rel="alternate" type="text/html" href="${x(item.url)}"/>`);
    out.push(`<published>${item.date_published}</published>`);
    out.push(`<updated>${item.date_modified ?? item.date_published}</updated>`);
    for (const a of item.authors) out.push(author(a.name, a.url));
    out.push(`<summary type="text">${x(summaryText(item))}</summary>`);
    if (channel.fullContent) out.push(`<content type="html">${x(item.content_html)}</content>`);
    for (const tag of item.tags ?? []) out.push(`<category term="${x(tag)}"/>`);
    payment(item._funding?.links);
    out.push(`<${NAMESPACE_PREFIX}:envelope>${embedJson(item)}</${NAMESPACE_PREFIX}:envelope>`);
    out.push('</entry>');
  }
  out.push('</feed>', '');
  return out.join('\n');
}

import { NAMESPACE_PREFIX, NAMESPACE_URI, SPEC_URL } from '@signet/sign';
import { feeds } from '../lazy.js';
import type { NetworkEntry } from './network.js';

export interface NetworkChannel {
  title: string;
  description: string;
  homePageUrl: string;
  urls: { rss: string; json: string };
  language: string;
}

/**
 * The network's items as links with plain-text summaries, never the full text of other people's posts.
 * A verified item carries its domain's envelope exactly as that domain published it, so anyone
 * downstream can check it against the author's domain, not this site's.
 */
export function writeNetworkJson(channel: NetworkChannel, items: NetworkEntry[]): string {
  return `${JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homePageUrl,
    feed_url: channel.urls.json,
    description: channel.description,
    language: channel.language,
    items: items.map((item) => ({
      id: item.id,
      url: item.url,
      ...(item.title ? { title: item.title } : {}),
      content_text: item.summary || item.title || item.url,
      ...(item.summary ? { summary: item.summary } : {}),
      ...(item.date ? { date_published: item.date } : {}),
      authors: [{ name: item.site.title, url: item.site.url }],
      ...(item.envelope ? { _signed: { about: SPEC_URL, envelope: JSON.parse(item.envelope) as unknown } } : {}),
    })),
  }, null, 2)}\n`;
}

export function writeNetworkRss(channel: NetworkChannel, items: NetworkEntry[]): string {
  const { escapeXml: x, rfc822 } = feeds();
  const out = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:${NAMESPACE_PREFIX}="${NAMESPACE_URI}">`,
    '<channel>',
    `<title>${x(channel.title)}</title>`,
    `<link>${x(channel.homePageUrl)}</link>`,
    `<description>${x(channel.description)}</description>`,
    `<language>${x(channel.language)}</language>`,
    '<generator>Signet</generator>',
    `<atom:link href="${x(channel.urls.rss)}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const item of items) {
    out.push('<item>');
    if (item.title) out.push(`<title>${x(item.title)}</title>`);
    out.push(`<link>${x(item.url)}</link>`, `<guid isPermaLink="false">${x(item.id)}</guid>`);
    if (item.date) out.push(`<pubDate>${rfc822(item.date)}</pubDate>`);
    out.push(`<dc:creator>${x(item.site.title)}</dc:creator>`);
    // Readers treat a description as HTML: the plain text is escaped once as HTML, once as XML.
    if (item.summary) out.push(`<description>${x(x(item.summary))}</description>`);
    if (item.envelope) out.push(`<${NAMESPACE_PREFIX}:envelope>${x(item.envelope)}</${NAMESPACE_PREFIX}:envelope>`);
    out.push('</item>');
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

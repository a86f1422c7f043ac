import { FUNDING_ABOUT, SPEC_URL } from '@signet/sign';
import { summaryText, type FeedChannel, type FeedItem } from './channel.js';

/** JSON Feed 1.1. An untitled note has no `title` key at all, as the spec allows. */
export function writeJsonFeed(channel: FeedChannel, items: FeedItem[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: channel.title,
    home_page_url: channel.homePageUrl,
    feed_url: channel.urls.json,
    ...(channel.description ? { description: channel.description } : {}),
    ...(channel.icon ? { icon: channel.icon, favicon: channel.icon } : {}),
    language: channel.language,
    authors: [channel.author],
    // The site's funding links; each item's own are its envelope's `_funding`, signed.
    ...(channel.funding ? { _funding: { about: FUNDING_ABOUT, links: channel.funding } } : {}),
    items: items.map((envelope) => {
      const { proof: _proof, ...item } = envelope;
      // Object.assign rather than `{ ...item, more }`, which V8 makes many times slower for an item this size.
      const shown = channel.fullContent ? item : Object.assign(item, { content_html: undefined, content_text: summaryText(envelope) });
      return Object.assign(shown, { _signed: { about: SPEC_URL, envelope } });
    }),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

export { writeRss, rfc822 } from './rss.js';
export { writeAtom } from './atom.js';
export { writeJsonFeed } from './json-feed.js';
export { lastUpdated, escapeXml, summaryText, excerpt, htmlText, cutAtWord, EXCERPT_LENGTH, type FeedChannel, type FeedItem } from './channel.js';

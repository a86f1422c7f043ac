/**
 * The pages made from the sites a site follows: `/blogroll.opml` (also at
 * `/.well-known/recommendations.opml`), `/following/`, `/network/` (paginated) and its two feeds. Read
 * from `following.opml` and what `signet fetch` stored in `.signet/network/`: the build stays offline.
 * A site that follows nobody pays one file check (in `createContext`) and nothing else.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '@signet/config';
import { fillIn, pageText } from '@signet/theme/strings';
import { networkRead } from '../lazy.js';
import { paginate } from '../listings.js';
import { signatureOf } from '../memo.js';
import { feedLinks, formatDate } from '../view.js';
import type { Context, NetworkInputs } from './context.js';
import { emit, emitLayout, renderLayouts } from './emit.js';
import { writeNetworkJson, writeNetworkRss } from './network-feeds.js';

export const FOLLOWING_FILE = 'following.opml';
/** The newest items shown on /network/ and in its feeds. */
const PAGE_ITEMS = 500;
const FEED_ITEMS = 50;

/** One item of a followed site as layouts see it: text and http(s) links only. */
export interface NetworkEntry {
  id: string;
  title: string | undefined;
  /** The title, or the summary's first words for an untitled note. */
  heading: string;
  url: string;
  date: string | undefined;
  dateText: string | undefined;
  summary: string | undefined;
  site: { title: string; url: string };
  /** `signed`, `unsigned` or `key-changed`. */
  mark: string;
  markText: string;
  envelope: string | undefined;
}

export function renderNetwork(ctx: Context): void {
  if (ctx.site.blogroll === undefined) return;
  const { config, urls } = ctx;
  const words = ctx.site.strings;
  const read = networkRead();
  const { entries, store } = networkInputs(ctx);
  const blogroll = read.blogrollOpml(`${config.title}: ${words.following}`, entries, config.url);
  for (const p of ['blogroll.opml', '.well-known/recommendations.opml']) emit(ctx, p, signatureOf('blogroll', blogroll), () => blogroll);

  const byUrl = new Map(store.feeds.map((f) => [f.url, f]));
  const replaced = new Set(store.domains.filter((d) => d.keysReplaced).map((d) => d.domain));
  const items: NetworkEntry[] = [];
  const sites = entries.map((entry) => {
    const record = byUrl.get(entry.url!);
    const title = record?.title ?? entry.title ?? host(entry.siteUrl ?? entry.url!);
    const siteUrl = webUrl(record?.siteUrl) ?? webUrl(entry.siteUrl) ?? new URL('/', entry.url!).href;
    const verified = record?.items.find((i) => i.status === 'verified');
    for (const item of record?.items ?? []) {
      // A post that failed verification is never shown as that domain's post.
      const url = webUrl(item.url);
      if (item.status === 'failed' || url === undefined) continue;
      const changed = item.status === 'verified' && (item.keyChanged === true || replaced.has(item.domain ?? ''));
      const mark = item.status === 'unsigned' ? 'unsigned' : changed ? 'key-changed' : 'signed';
      const date = item.date ?? item.firstSeen;
      items.push({
        id: item.id ?? url, title: item.title, heading: item.title ?? firstWords(item.summary) ?? url, url, date,
        dateText: date ? formatDate(new Date(date), config.language) : undefined, summary: item.summary,
        site: { title, url: siteUrl }, mark,
        markText: mark === 'unsigned' ? words.unsigned : mark === 'key-changed' ? fillIn(words.keyChangedPost, { domain: `${item.domain}` }) : `${words.signedByDomain} ${item.domain}`,
        envelope: mark === 'signed' ? item.envelope : undefined,
      });
    }
    const mark = !record?.lastSuccess ? 'not-fetched' : verified ? (replaced.has(verified.domain ?? '') ? 'key-changed' : 'signed') : 'unsigned';
    return {
      title, url: siteUrl, feed: entry.url!, description: record?.description ?? entry.description, mark,
      markText: mark === 'signed' ? fillIn(words.postsSignedBy, { domain: `${verified!.domain}` })
        : mark === 'key-changed' ? fillIn(words.keyChanged, { domain: `${verified!.domain}` }) : mark === 'unsigned' ? words.postsUnsigned : words.notFetched,
    };
  });
  items.sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.url.localeCompare(b.url));
  const shown = items.slice(0, PAGE_ITEMS);

  const networkFeeds = { rss: urls.absolute('network/feed.xml'), json: urls.absolute('network/feed.json') };
  const links = [
    { type: 'application/rss+xml', title: `${config.title}: ${words.network} (RSS)`, url: networkFeeds.rss },
    { type: 'application/feed+json', title: `${config.title}: ${words.network} (JSON Feed)`, url: networkFeeds.json },
    ...feedLinks(config.title, ctx.site.feeds),
  ];
  const followingPage = { kind: 'following', title: words.following, heading: words.sitesIFollow, url: urls.absolute('/following/'), path: urls.link('/following/'), feeds: links };
  emitLayout(ctx, 'following/index.html', signatureOf(ctx.siteSignature, 'following', JSON.stringify(sites)), 'following', () => ({ site: ctx.site, page: followingPage, sites }));
  ctx.listingSitemap.push({ url: followingPage.url, lastmod: undefined });
  for (const part of paginate({ urlPath: '/network/', posts: shown }, config.postsPerPage)) {
    const outputPath = `${part.urlPath.slice(1)}index.html`;
    const page = { kind: 'network', title: words.network, heading: words.fromSitesIFollow, url: urls.absolute(part.urlPath), path: urls.link(part.urlPath), feeds: links };
    const pagination = { page: part.page, pages: part.pages, text: pageText(ctx.site.strings, part.page, part.pages), newer: part.newer && urls.link(part.newer), older: part.older && urls.link(part.older) };
    emitLayout(ctx, outputPath, signatureOf(ctx.siteSignature, 'network', JSON.stringify(part.posts), JSON.stringify(pagination)), 'network', () => ({ site: ctx.site, page, items: part.posts, pagination }));
  }
  // A large site queues pages for worker threads: the queue is rendered before the feeds go out.
  renderLayouts(ctx);
  // In the site's language, as its pages are: "Bench: Netzwerk", "Bench: Von den Websites, denen ich folge".
  const channel = { title: `${config.title}: ${words.network}`, description: `${config.title}: ${words.fromSitesIFollow}`, homePageUrl: urls.absolute('/network/'), urls: networkFeeds, language: config.language };
  const newest = shown.slice(0, FEED_ITEMS);
  const feedSignature = signatureOf('network feeds', JSON.stringify(channel), JSON.stringify(newest));
  emit(ctx, 'network/feed.json', feedSignature, () => writeNetworkJson(channel, newest));
  emit(ctx, 'network/feed.xml', feedSignature, () => writeNetworkRss(channel, newest));
}

/**
 * The follow list (its entries with a feed) and what `signet fetch` stored, read once a build: the
 * network pages and the replies under posts are both made from them.
 */
export function networkInputs(ctx: Context): NetworkInputs {
  if (ctx.network) return ctx.network;
  const read = networkRead();
  let entries;
  try {
    entries = read.readFollowList(readFileSync(path.join(ctx.config.root, FOLLOWING_FILE), 'utf8')).filter((e) => e.url !== undefined);
  } catch (error) {
    if (!(error instanceof read.OpmlError)) throw error;
    throw new SignetError(error.message, { file: FOLLOWING_FILE, hint: 'Fix the file, or remove it and use `signet follow <url>`.' });
  }
  ctx.network = { entries, store: read.readStoreSync(read.networkDir(ctx.config.root)) };
  return ctx.network;
}

function webUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function firstWords(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const words = text.split(/\s+/).slice(0, 10).join(' ');
  return words.length < text.length ? `${words}…` : words;
}

import type { Entry } from '@signet/content';
import type { Heading } from '@signet/markdown';
import { envelopePageJson } from '../envelope.js';
import { entrySharing, type Sharing } from '../sharing.js';
import { feedLinks, formatDate, type PostView } from '../view.js';
import { allEntries, cacheOutlivesBuild, layoutOf, tagsOf, view, withoutDrafts, type Context } from './context.js';
import { emitLayout } from './emit.js';
import { renderListingPage, type ListingPage } from './listings.js';
import { repliesHtml, repliesOf } from './replies.js';

/** What a post's or page's own page shows beyond its view. */
type PageData = PostView & {
  description: string; language: string; feeds: unknown; envelopeJson: string | undefined; headline?: string; sharing?: Sharing;
  newer?: Neighbour; older?: Neighbour; toc?: Heading[]; funding?: unknown; references?: unknown;
  replies?: unknown; repliesHtml?: string;
};

/** A post's newer or older neighbour, as its page links it. */
interface Neighbour {
  title: string;
  path: string;
}

/** Made from the entry alone: a neighbour's HTML may be let go already. An untitled note is named by its date. */
function neighbour(ctx: Context, post: Entry): Neighbour {
  const path = ctx.urls.link(post.urlPath);
  return { title: post.title ?? (post.date ? formatDate(post.date, ctx.config.language) : path), path };
}

export function checkLayouts(ctx: Context): void {
  for (const entry of allEntries(ctx)) {
    if (entry.layout !== undefined) ctx.renderer.check(entry.layout, entry.source, 1);
  }
}

/**
 * Makes each post's and page's own page, in order; with `listings` (a site made page by page, see
 * `streamsPages`), each listing page as soon as the last post it shows has its page, and a post's
 * HTML and view are let go once the last page showing it is made.
 */
export function renderEntries(ctx: Context, signed?: (entry: Entry, index: number) => void, listings: ListingPage[] = []): void {
  const siteFeeds = feedLinks(ctx.config.title, ctx.site.feeds);
  // What is let go after each page frees memory only when nothing else holds it: a cache that
  // outlives the build holds every post's HTML and envelope anyway.
  const release = !cacheOutlivesBuild(ctx);
  const inFeeds = release ? feedPosts(ctx) : undefined;
  const { posts } = ctx.content;
  const entries = [...posts, ...ctx.content.pages];
  const streamed = listings.length > 0 ? schedule(posts, listings) : undefined;
  for (const page of streamed?.first ?? []) renderListingPage(ctx, page);
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index]!;
    signed?.(entry, index);
    // A post's neighbours (posts are newest first): its page links them, so their hashes and URLs are inputs.
    const newer = index < posts.length && index > 0 ? posts[index - 1] : undefined;
    const older = index < posts.length - 1 ? posts[index + 1] : undefined;
    const envelope = ctx.envelopes.get(entry);
    const layout = layoutOf(entry);
    // Links to Markdown sources follow those sources' URLs, which are not in the entry's hash.
    const retargeted = ctx.retargeted.size === 0 ? undefined : ctx.retargeted.get(entry);
    const references = entry.references && ctx.references?.get(entry);
    const replies = ctx.replies && repliesOf(ctx, entry);
    let extra = references ? `${retargeted ?? ''}\0${references.signature}` : retargeted;
    if (replies) extra = `${extra ?? ''}\0replies\0${replies.signature}`;
    const { signature, sitemap } = ctx.derive.page(entry, layout, envelope, newer, older, extra);
    const rendered = ctx.html.get(entry)!;
    emitLayout(ctx, entry.outputPath, signature, layout, () => {
      const shown = view(ctx, entry);
      // A post without a summary is described by its excerpt, as listings and feeds show it.
      const description = entry.summary ?? (entry.kind === 'post' ? shown.excerpt : ctx.config.description);
      // The page's own fields, in the order layouts have always seen them, then joined to the view in
      // one Object.assign: `{ ...view, more }` and fields added to a copy afterwards cost V8 ~17 µs a
      // page each (70 ms of a 4,000-post build), an Object.assign of two objects ~2 µs.
      const own: Partial<PageData> = {
        description, language: ctx.config.language, feeds: siteFeeds,
        envelopeJson: envelope ? envelopePageJson(envelope) : undefined,
      };
      // A post shows the funding links it signed; other pages the site's.
      if (envelope && (envelope._funding || ctx.site.funding)) own.funding = envelope._funding?.links ?? [];
      own.references = references ? references.views : undefined;
      // The view holds what listings show; on its own page the HTML keeps its links as written.
      if (rendered.listingHtml !== undefined) own.content = rendered.html;
      // An untitled note's <title> starts with its first words, not only the site's name.
      if (entry.title === undefined && entry.kind === 'post') own.headline = firstWords(rendered.html);
      const { headline } = own;
      // Replies from the sites the site follows: their data, and the `replies` layout rendered with it.
      if (replies) {
        own.replies = replies.views;
        own.repliesHtml = repliesHtml(ctx, entry, replies);
      }
      if (newer) own.newer = neighbour(ctx, newer);
      if (older) own.older = neighbour(ctx, older);
      // `toc: true` in the front matter: the headings the Markdown step gave ids, for a table of contents.
      if (entry.data.toc === true && rendered.headings) own.toc = rendered.headings;
      own.sharing = entrySharing(entry, shown, entry.title ?? headline ?? ctx.config.title, description, ctx.config, ctx.urls);
      return { site: ctx.site, page: Object.assign({}, shown, own) as PageData };
    });
    if (!entry.draft) ctx.sitemap.push(sitemap);
    for (const page of streamed?.completed[index] ?? []) renderListingPage(ctx, page);
    if (!release) continue;
    // Nothing reads this entry's envelope again unless a feed holds it, nor (once the listings that
    // show it are made) its HTML. Let go now: they are not all held until the last page of a large site.
    if (!inFeeds!.has(entry)) ctx.envelopes.delete(entry);
    if (!streamed) {
      ctx.html.delete(entry);
      continue;
    }
    for (const done of streamed.done[index] ?? []) {
      ctx.html.delete(done);
      ctx.views!.delete(done);
    }
  }
}

/**
 * When each listing page can be made (`completed`: at the index of the last post it shows; `first`:
 * one showing no post) and when each post is shown for the last time (`done`), by post index. Posts
 * and every listing are newest first, so a listing page is complete once its last post is.
 */
export function schedule(posts: Entry[], listings: ListingPage[]): { first: ListingPage[]; completed: ListingPage[][]; done: Entry[][] } {
  const indexOf = new Map(posts.map((post, i) => [post, i]));
  const lastShown = posts.map((_, i) => i);
  const first: ListingPage[] = [];
  const completed: ListingPage[][] = [];
  for (const page of listings) {
    const shown = page.part.posts;
    if (shown.length === 0) {
      first.push(page);
      continue;
    }
    const at = indexOf.get(shown[shown.length - 1]!)!;
    (completed[at] ??= []).push(page);
    for (const post of shown) {
      const i = indexOf.get(post)!;
      if (lastShown[i]! < at) lastShown[i] = at;
    }
  }
  const done: Entry[][] = [];
  lastShown.forEach((at, i) => (done[at] ??= []).push(posts[i]!));
  return { first, completed, done };
}

/**
 * The posts the feeds hold: each site's and tag's newest. Once its page is made, a post's envelope is
 * read only by the feeds.
 */
function feedPosts(ctx: Context): Set<Entry> {
  const posts = withoutDrafts(ctx.content.posts);
  const inFeeds = new Set(posts.slice(0, ctx.config.feed.items));
  for (const tag of tagsOf(ctx)) for (const post of withoutDrafts(tag.posts).slice(0, ctx.config.feed.items)) inFeeds.add(post);
  return inFeeds;
}


/** The first words of a post's HTML as text (about 60 characters, cut between words), for its `<title>`. */
export function firstWords(html: string): string | undefined {
  const text = html.slice(0, 2000).replace(/<[^<>]*>/g, ' ').replace(/&#x([0-9A-F]+);|&#(\d+);|&(amp|lt|gt|quot);/gi, (_, hex: string | undefined, dec: string | undefined, named: string | undefined) => {
    if (named !== undefined) return ({ amp: '&', lt: '<', gt: '>', quot: '"' } as Record<string, string>)[named.toLowerCase()]!;
    return String.fromCodePoint(hex !== undefined ? parseInt(hex, 16) : Number(dec));
  }).replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  if (text.length <= 60) return text;
  const cut = text.slice(0, 60);
  const space = cut.lastIndexOf(' ');
  return `${trimEndPunctuation(space > 20 ? cut.slice(0, space) : cut)}…`;
}

/** Drops trailing spaces and punctuation; a loop, as a `[…]+$` pattern is quadratic on a long run of them. */
function trimEndPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && /[\s,.;:!?-]/.test(text[end - 1]!)) end--;
  return text.slice(0, end);
}

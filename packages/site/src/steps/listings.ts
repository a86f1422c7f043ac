import type { Entry } from '@signet/content';
import { paginate, type PageOfListing } from '../listings.js';
import { signatureOf } from '../memo.js';
import { pageSharing } from '../sharing.js';
import { pageText } from '@signet/theme/strings';
import { feedLinks } from '../view.js';
import { layoutOf, streamsPages, tagsOf, view, type Context } from './context.js';
import { emitLayout } from './emit.js';

const retargeted = new WeakMap<Context, string>();

function retargetedOf(ctx: Context): string {
  let joined = retargeted.get(ctx);
  if (joined === undefined) retargeted.set(ctx, (joined = [...ctx.retargeted.values()].join('\0')));
  return joined;
}

/** A listing (the home page's posts, a tag's) and what its layout is given besides its posts. */
interface ListingOf {
  page: Record<string, unknown>;
  /** `page` as JSON (with retargeted links), for the signatures of its pages. */
  pageJson: string;
  feeds: ReturnType<typeof feedLinks>;
  layout: string;
}

/** One page of a listing. */
export interface ListingPage {
  of: ListingOf;
  part: PageOfListing;
}

function listing(ctx: Context, page: Record<string, unknown>, feeds: ReturnType<typeof feedLinks>, layout: string): ListingOf {
  // Links to Markdown sources follow those sources' URLs, which are not in the posts' hashes.
  const pageJson = ctx.retargeted.size === 0 ? JSON.stringify(page) : `${JSON.stringify(page)}\0${retargetedOf(ctx)}`;
  return { page, pageJson, feeds, layout };
}

/** Every page of the home listing, then of each tag's, in that order. */
export function listingPages(ctx: Context): ListingPage[] {
  const { config, content } = ctx;
  const home = content.home;
  const pages: ListingPage[] = [];
  const add = (of: ListingOf, urlPath: string, posts: Entry[]) => {
    for (const part of paginate({ urlPath, posts }, config.postsPerPage)) pages.push({ of, part });
  };
  add(listing(ctx, {
    kind: 'home',
    title: home?.title ?? config.title,
    description: home?.summary ?? config.description,
    heading: home ? 'Latest posts' : undefined,
    content: home ? ctx.html.get(home)!.html : undefined,
    source: home?.hash,
  }, feedLinks(config.title, ctx.site.feeds), home ? layoutOf(home) : 'list'), '/', content.posts);
  for (const tag of tagsOf(ctx)) {
    const urlPath = `/tags/${tag.slug}/`;
    const tagFeeds = { rss: ctx.urls.absolute(`${urlPath}feed.xml`), atom: ctx.urls.absolute(`${urlPath}atom.xml`), json: ctx.urls.absolute(`${urlPath}feed.json`) };
    add(listing(ctx, {
      kind: 'tag', title: `#${tag.name}`, heading: `Posts tagged #${tag.name}`, description: `Posts tagged ${tag.name} on ${config.title}`,
    }, [...feedLinks(`${config.title}: #${tag.name}`, tagFeeds), ...feedLinks(config.title, ctx.site.feeds)], 'list'), urlPath, tag.posts);
  }
  return pages;
}

export function renderListingPage(ctx: Context, { of, part }: ListingPage): void {
  const { page, pageJson, feeds, layout } = of;
  const outputPath = `${part.urlPath.replace(/^\//, '')}index.html`;
  const { signature, url } = ctx.derive.listingPage(outputPath, layout, pageJson, part);
  emitLayout(ctx, outputPath, signature, layout, () => ({
    site: ctx.site,
    // One Object.assign: `{ ...page, more }` is many times slower in V8 (see pages.ts).
    page: Object.assign({}, page, {
      content: part.page === 1 ? page.content : undefined, url, path: ctx.urls.link(part.urlPath), feeds,
      sharing: pageSharing(String(page.title), ctx.config, ctx.urls, page.kind === 'home' && part.page === 1),
    }),
    posts: part.posts.map((post) => view(ctx, post)),
    pagination: {
      page: part.page,
      pages: part.pages,
      text: pageText(ctx.site.strings, part.page, part.pages),
      newer: part.newer && ctx.urls.link(part.newer),
      older: part.older && ctx.urls.link(part.older),
    },
  }));
}

/**
 * The listing pages, and the tag index and 404 page. A site made page by page (`streamsPages`) has
 * its listing pages made with its posts' pages: they are returned for the pages step.
 */
export function renderListings(ctx: Context): ListingPage[] {
  const { config } = ctx;
  const pages = listingPages(ctx);
  // In the sitemap in this order, wherever they are made.
  for (const { part } of pages) ctx.listingSitemap.push({ url: ctx.urls.absolute(part.urlPath), lastmod: undefined });
  const streamed = streamsPages(ctx);
  if (!streamed) for (const page of pages) renderListingPage(ctx, page);
  const tags = tagsOf(ctx);
  const tagViews = tags.map((tag) => ({ name: tag.name, path: ctx.urls.link(`/tags/${tag.slug}/`), count: tag.posts.length }));
  emitLayout(ctx, 'tags/index.html', signatureOf(ctx.siteSignature, 'tags', JSON.stringify(tagViews)), 'tags', () => (
    { site: ctx.site, tags: tagViews, page: { kind: 'tags', title: 'Tags', url: ctx.urls.absolute('/tags/'), feeds: feedLinks(config.title, ctx.site.feeds), sharing: pageSharing('Tags', config, ctx.urls, false) } }
  ));
  ctx.listingSitemap.push({ url: ctx.urls.absolute('/tags/'), lastmod: undefined });
  emitLayout(ctx, '404.html', signatureOf(ctx.siteSignature, '404'), '404', () => (
    { site: ctx.site, page: { kind: 'error', title: 'Not found', url: ctx.urls.absolute('/404.html'), feeds: feedLinks(config.title, ctx.site.feeds) } }
  ));
  return streamed ? pages : [];
}


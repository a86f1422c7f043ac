import type { Entry } from '@signet/content';
import { paginate, type Listing } from '../listings.js';
import { signatureOf } from '../memo.js';
import { pageSharing } from '../sharing.js';
import { pageText } from '@signet/theme/strings';
import { feedLinks } from '../view.js';
import { layoutOf, tagsOf, view, type Context } from './context.js';
import { emitLayout } from './emit.js';

const retargeted = new WeakMap<Context, string>();

function retargetedOf(ctx: Context): string {
  let joined = retargeted.get(ctx);
  if (joined === undefined) retargeted.set(ctx, (joined = [...ctx.retargeted.values()].join('\0')));
  return joined;
}

function renderListing(ctx: Context, listing: Listing, page: Record<string, unknown>, feeds: ReturnType<typeof feedLinks>, layout: string): void {
  // Links to Markdown sources follow those sources' URLs, which are not in the posts' hashes.
  const pageJson = ctx.retargeted.size === 0 ? JSON.stringify(page) : `${JSON.stringify(page)}\0${retargetedOf(ctx)}`;
  const viewOf = (post: Entry) => view(ctx, post);
  for (const part of paginate(listing, ctx.config.postsPerPage)) {
    const outputPath = `${part.urlPath.replace(/^\//, '')}index.html`;
    const { signature, url } = ctx.derive.listingPage(outputPath, layout, pageJson, part);
    emitLayout(ctx, outputPath, signature, layout, () => ({
      site: ctx.site,
      // One Object.assign: `{ ...page, more }` is many times slower in V8 (see pages.ts).
      page: Object.assign({}, page, {
        content: part.page === 1 ? page.content : undefined, url, path: ctx.urls.link(part.urlPath), feeds,
        sharing: pageSharing(String(page.title), ctx.config, ctx.urls, page.kind === 'home' && part.page === 1),
      }),
      posts: part.posts.map(viewOf),
      pagination: {
        page: part.page,
        pages: part.pages,
        text: pageText(ctx.site.strings, part.page, part.pages),
        newer: part.newer && ctx.urls.link(part.newer),
        older: part.older && ctx.urls.link(part.older),
      },
    }));
    ctx.listingSitemap.push({ url, lastmod: undefined });
  }
}

export function renderListings(ctx: Context): void {
  const { config, content } = ctx;
  const home = content.home;
  const homeHtml = home ? ctx.html.get(home)!.html : undefined;
  renderListing(ctx, { urlPath: '/', posts: content.posts }, {
    kind: 'home',
    title: home?.title ?? config.title,
    description: home?.summary ?? config.description,
    heading: home ? 'Latest posts' : undefined,
    content: homeHtml,
    source: home?.hash,
  }, feedLinks(config.title, ctx.site.feeds), home ? layoutOf(home) : 'list');
  const tags = tagsOf(ctx);
  for (const tag of tags) {
    const urlPath = `/tags/${tag.slug}/`;
    const tagFeeds = { rss: ctx.urls.absolute(`${urlPath}feed.xml`), atom: ctx.urls.absolute(`${urlPath}atom.xml`), json: ctx.urls.absolute(`${urlPath}feed.json`) };
    renderListing(ctx, { urlPath, posts: tag.posts }, {
      kind: 'tag', title: `#${tag.name}`, heading: `Posts tagged #${tag.name}`, description: `Posts tagged ${tag.name} on ${config.title}`,
    }, [...feedLinks(`${config.title}: #${tag.name}`, tagFeeds), ...feedLinks(config.title, ctx.site.feeds)], 'list');
  }
  const tagViews = tags.map((tag) => ({ name: tag.name, path: ctx.urls.link(`/tags/${tag.slug}/`), count: tag.posts.length }));
  emitLayout(ctx, 'tags/index.html', signatureOf(ctx.siteSignature, 'tags', JSON.stringify(tagViews)), 'tags', () => (
    { site: ctx.site, tags: tagViews, page: { kind: 'tags', title: 'Tags', url: ctx.urls.absolute('/tags/'), feeds: feedLinks(config.title, ctx.site.feeds), sharing: pageSharing('Tags', config, ctx.urls, false) } }
  ));
  ctx.listingSitemap.push({ url: ctx.urls.absolute('/tags/'), lastmod: undefined });
  emitLayout(ctx, '404.html', signatureOf(ctx.siteSignature, '404'), '404', () => (
    { site: ctx.site, page: { kind: 'error', title: 'Not found', url: ctx.urls.absolute('/404.html'), feeds: feedLinks(config.title, ctx.site.feeds) } }
  ));
}


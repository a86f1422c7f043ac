import type { Entry } from '@signet/content';
import type { FeedChannel, FeedItem } from '@signet/feeds';
import { feeds } from '../lazy.js';
import { signatureOf } from '../memo.js';
import { tagsOf, withoutDrafts, type Context } from './context.js';
import { emit } from './emit.js';

function writeFeedSet(ctx: Context, dir: string, title: string, description: string, homePagePath: string, posts: Entry[]): void {
  const items: FeedItem[] = posts.slice(0, ctx.config.feed.items).map((post) => ctx.envelopes.get(post)!);
  const channel: FeedChannel = {
    title,
    description,
    language: ctx.config.language,
    homePageUrl: ctx.urls.absolute(homePagePath),
    urls: { rss: ctx.urls.absolute(`${dir}feed.xml`), atom: ctx.urls.absolute(`${dir}atom.xml`), json: ctx.urls.absolute(`${dir}feed.json`) },
    author: feedAuthor(ctx),
    ...(ctx.config.funding ? { funding: ctx.config.funding } : {}),
    fullContent: ctx.config.feed.fullContent,
  };
  if (ctx.site.icon) channel.icon = ctx.site.icon.url;
  const signature = signatureOf(ctx.siteSignature, JSON.stringify(channel), ...items.map((item) => item.proof.proofValue));
  const base = dir.replace(/^\//, '');
  emit(ctx, `${base}feed.xml`, signature, () => feeds().writeRss(channel, items));
  emit(ctx, `${base}atom.xml`, signature, () => feeds().writeAtom(channel, items));
  emit(ctx, `${base}feed.json`, signature, () => feeds().writeJsonFeed(channel, items));
  ctx.feedCount += 3;
}

export function renderFeeds(ctx: Context): void {
  const { config, content } = ctx;
  // Drafts a preview build shows are in no feed: they are not signed, and readers would keep them.
  writeFeedSet(ctx, '/', config.title, config.description, '/', withoutDrafts(content.posts));
  for (const tag of tagsOf(ctx)) {
    writeFeedSet(ctx, `/tags/${tag.slug}/`, `${config.title}: #${tag.name}`, `Posts tagged ${tag.name}`, `/tags/${tag.slug}/`, withoutDrafts(tag.posts));
  }
}


/** The author as feeds show it: JSON Feed's `name`, `url` and `avatar` (absolute). */
function feedAuthor(ctx: Context): FeedChannel['author'] {
  const { name, url, avatar } = ctx.config.author;
  return { name, ...(url ? { url } : {}), ...(avatar ? { avatar: ctx.urls.absolute(avatar) } : {}) };
}

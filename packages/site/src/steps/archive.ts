import type { Entry } from '@signet/content';
import { signatureOf } from '../memo.js';
import { perBuild } from '../reuse.js';
import { feedLinks, formatDate, utcSeconds } from '../view.js';
import type { Context } from './context.js';
import { emitLayout } from './emit.js';

/** A post as the archive lists it: no content, so the page's data stays small on a large site. */
interface ArchivePost {
  title: string | undefined;
  path: string;
  date: string | undefined;
  dateText: string | undefined;
}

/** One year of the archive: its posts, newest first. */
interface ArchiveYear {
  year: string;
  posts: ArchivePost[];
}

const shown = perBuild<{ site: string; posts: Entry[]; signature: string }>();

/**
 * The signature of what the archive shows of each post, made again only when that changed since the
 * build before (with the same cache): a rebuild after a save compares the posts side by side, most
 * of them the very same objects, instead of joining and hashing 10,000 lines.
 */
function archiveSignature(ctx: Context): string {
  const { posts } = ctx.content;
  const carried = shown.begin(ctx.cache);
  const before = carried.get('archive');
  if (before && before.site === ctx.siteSignature && sameShown(before.posts, posts)) {
    before.posts = posts;
    return before.signature;
  }
  const signature = signatureOf(ctx.siteSignature, 'archive', posts.map((post) => `${post.urlPath}\0${post.title ?? ''}\0${post.date?.getTime() ?? ''}`).join('\0'));
  carried.set('archive', { site: ctx.siteSignature, posts, signature });
  return signature;
}

function sameShown(a: Entry[], b: Entry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.urlPath !== y.urlPath || x.title !== y.title || x.date?.getTime() !== y.date?.getTime())) return false;
  }
  return true;
}

/**
 * `/archive/`: every post by year, newest first, with the `archive` layout, as Hugo's and Jekyll's
 * themes have it. One page, made from the entries alone; remade only when what it shows of a post
 * (title, URL, date) or the site changes: not on every save of a post's text, which at 10,000 posts
 * cost `signet dev` ~50 ms a save.
 */
export function renderArchive(ctx: Context): void {
  const { posts } = ctx.content;
  const signature = archiveSignature(ctx);
  emitLayout(ctx, 'archive/index.html', signature, 'archive', () => {
    const years: ArchiveYear[] = [];
    for (const post of posts) {
      // The listings made each post's view just before: its link and dates are the archive's.
      const seen = ctx.views?.get(post);
      const date = seen ? seen.date : post.date ? utcSeconds(post.date) : undefined;
      const year = date?.slice(0, 4) ?? '';
      if (years[years.length - 1]?.year !== year) years.push({ year, posts: [] });
      years[years.length - 1]!.posts.push(seen
        ? { title: seen.title, path: seen.path, date, dateText: seen.dateText }
        : { title: post.title, path: ctx.urls.link(post.urlPath), date, dateText: post.date ? formatDate(post.date, ctx.config.language) : undefined });
    }
    return {
      site: ctx.site,
      years,
      page: { kind: 'archive', title: 'Archive', url: ctx.urls.absolute('/archive/'), feeds: feedLinks(ctx.config.title, ctx.site.feeds) },
    };
  });
  ctx.listingSitemap.push({ url: ctx.urls.absolute('/archive/'), lastmod: undefined });
}

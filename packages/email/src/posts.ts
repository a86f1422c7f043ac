import { SignetError, type SiteConfig } from '@signet/config';
import { loadContent, type ContentSet, type Entry } from '@signet/content';
import { renderMarkdown } from '@signet/markdown';
import { plainImages, siteUrls, toEnvelopeItem } from '@signet/site';
import type { EnvelopeItem } from '@signet/sign';

/** A post that may go out by email, known by its signed envelope's id. */
export interface EmailPost {
  entry: Entry;
  /** The envelope's `id` (what the ledger is keyed by) and the post's public address. */
  id: string;
  url: string;
  /** The envelope's `date_published`. */
  published: string;
  /** The site's content (one object shared by every post): its images, and the bundles that publish their originals. */
  site?: Pick<ContentSet, 'assets' | 'posts' | 'pages'>;
}

/**
 * The posts a send may deliver, oldest first: published (no drafts, nothing dated later than `now`),
 * members' letters included, `email: false` left out. Nothing is rendered here: the envelope's id is
 * the post's URL, which needs no Markdown, so a large site costs one read of its content.
 */
export function emailPosts(config: SiteConfig, now: Date, options: { drafts?: boolean; future?: boolean; all?: boolean } = {}): EmailPost[] {
  const urls = siteUrls(config);
  const site = loadContent(config, { now, members: true, drafts: options.drafts, future: options.future });
  const { posts } = site;
  return posts
    .filter((entry) => options.all || entry.email)
    .map((entry) => {
      const url = urls.absolute(entry.urlPath);
      return { entry, id: url, url, published: toEnvelopeItem(entry, '', url, config).date_published, site };
    })
    .reverse();
}

/**
 * The post as its envelope item: the very record the build signs (same function, same Markdown), so
 * its `id` is the signed envelope's and its HTML has every link and image absolute. Each of the
 * site's images is one `<img>` of its published copy with `width` and `height`, as in the feeds:
 * mail programs show no `<picture>` or `srcset`.
 */
export function envelopeOf(post: EmailPost, config: SiteConfig): EnvelopeItem {
  const { feedHtml } = renderMarkdown(post.entry.body, { trustHtml: config.markdown.trustHtml, baseUrl: post.url });
  const html = post.site ? plainImages(config, post.site, post.url, feedHtml) : feedHtml;
  return toEnvelopeItem(post.entry, html, post.url, config);
}

/** A post named on the command line: by its URL, its path on the site, its content file or its slug. */
export function findPost(posts: EmailPost[], name: string, config: SiteConfig): EmailPost {
  const trimmed = name.trim().replace(/\\/g, '/');
  const matches = posts.filter(({ entry, url }) =>
    url === trimmed || bare(entry.urlPath) === bare(trimmed) || entry.source === trimmed || entry.source === `${config.dirs.content}/${bare(trimmed)}` || entry.slug === trimmed);
  if (matches.length === 1) return matches[0]!;
  throw new SignetError(matches.length === 0 ? `no post "${name}"` : `"${name}" names ${matches.length} posts`, {
    hint: 'Name the post by its content file (content/posts/hello.md), its URL path (/posts/hello/) or its full URL.',
  });
}

/** A path without the slashes at its ends (a pattern for the end is tried from every slash: quadratic). */
export function bare(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value[start] === '/') start += 1;
  while (end > start && value[end - 1] === '/') end -= 1;
  return value.slice(start, end);
}

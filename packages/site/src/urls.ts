import type { SiteConfig } from '@signet/config';

/** How one site's paths become links: root-relative for pages, absolute for feeds and envelopes. */
export interface SiteUrls {
  /** The site's base path, e.g. `/` or `/blog/`. */
  base: string;
  host: string;
  /** `posts/a/` → `https://example.com/blog/posts/a/`. */
  absolute(urlPath: string): string;
  /** `/posts/a/` → `/blog/posts/a/`: a link that works on any host serving the site at its path. */
  link(urlPath: string): string;
}

// Letters, digits, `-`, `_`, `~` and slashes: with no `//` and no leading slash (trimmed below), the
// URL parser would leave such a path as it is. One flat character class, checked in linear time: a
// pattern with a repeated group (`(?:[…]+\/?)*`) backtracked exponentially on a path that failed
// late, such as a tag feed's `tags/long-tag-name/feed.xml`.
const PLAIN_PATH = /^[\w~/-]*$/;

export function siteUrls(config: SiteConfig): SiteUrls {
  const parsed = new URL(config.url);
  const base = parsed.pathname;
  // The leading slashes, counted rather than replaced: every link on every page comes through here.
  const trim = (p: string) => {
    let start = 0;
    while (p.charCodeAt(start) === 47) start++;
    return start === 0 ? p : p.slice(start);
  };
  // Every post, listing page and feed asks for its URL, some twice: a plain path is joined to the
  // site's own (normalised) URL instead of parsed (~2 µs each); anything else is parsed.
  const prefix = parsed.search === '' && parsed.hash === '' && parsed.href.endsWith('/') ? parsed.href : undefined;
  return {
    base,
    host: parsed.host,
    absolute: (urlPath) => {
      const relative = trim(urlPath);
      return prefix !== undefined && PLAIN_PATH.test(relative) && !relative.includes('//') ? prefix + relative : new URL(relative, config.url).href;
    },
    link: (urlPath) => base + trim(urlPath),
  };
}

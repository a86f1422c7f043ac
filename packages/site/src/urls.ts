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

export function siteUrls(config: SiteConfig): SiteUrls {
  const parsed = new URL(config.url);
  const base = parsed.pathname;
  const trim = (p: string) => p.replace(/^\/+/, '');
  return {
    base,
    host: parsed.host,
    absolute: (urlPath) => new URL(trim(urlPath), config.url).href,
    link: (urlPath) => base + trim(urlPath),
  };
}

import type { SiteConfig } from '@signet/config';
import type { Entry } from '@signet/content';
import type { SiteUrls } from './urls.js';
import type { PostView } from './view.js';

/**
 * What link previews and search engines read from a page's `<head>`: Open Graph and Twitter's card
 * (the theme's base layout prints these as `<meta>`), and schema.org JSON-LD, made here as JSON text
 * so no layout has to write JSON. Made only for a page that is rendered, from what its view holds.
 */
export interface Sharing {
  /** `og:type`: `article` for a post, `website` for every other page. */
  type: 'article' | 'website';
  title: string;
  /** An absolute URL: the post's `image`, else the config's `image`. */
  image: string | undefined;
  published: string | undefined;
  modified: string | undefined;
  tags: string[];
  /** JSON-LD as text to place in `<script type="application/ld+json">` (`<` written as `\u003c`). */
  jsonLd: string | undefined;
}

/**
 * An `image` as written (in front matter or the config) as an absolute URL: `/images/a.png` from the
 * site's base (which may be a sub-path), `a.png` from the page's URL `base`, or a URL as it is.
 */
export function imageUrl(value: unknown, base: string, urls: SiteUrls): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const written = value.trim();
  try {
    const url = new URL(written.startsWith('/') && !written.startsWith('//') ? urls.absolute(written) : written, base);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function author(config: SiteConfig, name: string): object {
  return { '@type': 'Person', name, url: config.author.url ?? config.url };
}

/** JSON for a `<script>` element: nothing in it can close the element or open a comment. */
function scriptJson(value: object): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** A post's or page's sharing data. `title`: what its `<title>` shows (an untitled note's first words). */
export function entrySharing(entry: Entry, view: PostView, title: string, description: string, config: SiteConfig, urls: SiteUrls): Sharing {
  const image = imageUrl(entry.data.image, view.url, urls) ?? siteImage(config, urls);
  if (entry.kind !== 'post') return { type: 'website', title, image, published: undefined, modified: undefined, tags: [], jsonLd: undefined };
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: title,
    url: view.url,
    mainEntityOfPage: view.url,
    datePublished: view.date,
    dateModified: view.updated ?? view.date,
    author: author(config, view.author),
    publisher: author(config, config.author.name),
    inLanguage: config.language,
  };
  if (description !== '') ld.description = description;
  if (image) ld.image = image;
  if (view.tags.length > 0) ld.keywords = view.tags.map((tag) => tag.name);
  return { type: 'article', title, image, published: view.date, modified: view.updated, tags: view.tags.map((tag) => tag.name), jsonLd: scriptJson(ld) };
}

/** A listing's or other generated page's sharing data; the home page's first page also names the site (`WebSite`). */
export function pageSharing(title: string, config: SiteConfig, urls: SiteUrls, home: boolean): Sharing {
  const jsonLd = home
    ? scriptJson({ '@context': 'https://schema.org', '@type': 'WebSite', name: config.title, url: urls.absolute('/'), ...(config.description ? { description: config.description } : {}), inLanguage: config.language, author: author(config, config.author.name) })
    : undefined;
  return { type: 'website', title, image: siteImage(config, urls), published: undefined, modified: undefined, tags: [], jsonLd };
}

function siteImage(config: SiteConfig, urls: SiteUrls): string | undefined {
  return config.image === undefined ? undefined : imageUrl(config.image, config.url, urls);
}

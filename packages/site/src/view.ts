import type { SiteConfig } from '@signet/config';
import type { Entry } from '@signet/content';
import type { ThemeStrings } from '@signet/theme/strings';
import type { SiteIcon } from './icons.js';
import { feeds } from './lazy.js';
import { slugOf } from './listings.js';
import { detached } from './reuse.js';

import { toUtcSeconds } from '@signet/sign';
import type { SiteUrls } from './urls.js';

/** What every layout sees as `site`. */
export interface SiteView {
  title: string;
  url: string;
  base: string;
  host: string;
  language: string;
  description: string;
  /** `avatar` is a link to the image; `me` the author's other accounts (`rel="me"`). */
  author: { name: string; url?: string; avatar?: string; bio?: string; me?: string[] };
  /** The page that carries the author's h-card: the one at `author.url`, else /about/. */
  profilePath?: string;
  /** The site's funding links (a post shows its own, `page.funding`). */
  funding?: { label: string; url: string }[];
  /** The Web Monetization wallet address. */
  monetization?: string;
  /** The site's feeds, absolute: for `<link rel="alternate">`, which feed readers take away. */
  feeds: { rss: string; atom: string; json: string };
  /** The same feeds, site-relative: for links a reader follows, so `signet dev` stays on its own host. */
  feedPaths: { rss: string; atom: string; json: string };
  didDocumentPath: string;
  menu: { title: string; path: string }[];
  badgeScript: string | undefined;
  /** The config's `params`, as written. */
  params: Record<string, unknown>;
  /** The files of `data/`, by name (see site-data.ts). */
  data: Record<string, unknown>;
  /** The theme's fixed words in the site's language, with the config's `strings:` over them. */
  strings: ThemeStrings;
  /** The site's icon, when it has one (see icons.ts). */
  icon?: SiteIcon;
  /** The blogroll's link, when the site follows other sites (has a following.opml). */
  blogroll?: string;
  /** The external Webmention receiver (`webmention.endpoint`), linked from every page's head. */
  webmention?: string;
}

/** A post as layouts see it, in a listing or on its own page. */
export interface PostView {
  kind: string;
  title: string | undefined;
  url: string;
  path: string;
  date: string | undefined;
  dateText: string | undefined;
  updated: string | undefined;
  updatedText: string | undefined;
  author: string;
  summary: string | undefined;
  /** What listings show: the summary, else the first paragraph's text, cut near 300 characters (as feeds do). */
  excerpt: string;
  /** Words in the text, and minutes to read them (words ÷ 230, rounded, at least 1). */
  words: number;
  readingTime: number;
  tags: { name: string; path: string }[];
  content: string;
  data: Record<string, unknown>;
  /** Only on a draft shown by a preview build (`--drafts`): the theme labels it. */
  draft?: true;
}

export interface FeedLink {
  type: string;
  title: string;
  url: string;
}

// Making an Intl.DateTimeFormat costs far more than using one; using one costs several µs, and the
// text depends only on the day (in UTC), which posts often share: each day's text is kept.
const formatters = new Map<string, { intl: Intl.DateTimeFormat | null; days: Map<number, string> }>();
const DAY_MS = 86_400_000;

export function formatDate(date: Date, language: string): string {
  let formatter = formatters.get(language);
  if (formatter === undefined) {
    let intl: Intl.DateTimeFormat | null;
    try {
      intl = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
    } catch {
      intl = null;
    }
    formatters.set(language, (formatter = { intl, days: new Map() }));
  }
  const day = Math.floor(date.getTime() / DAY_MS);
  let text = formatter.days.get(day);
  if (text === undefined) {
    text = formatter.intl ? formatter.intl.format(date) : date.toISOString().slice(0, 10);
    // A long-running `signet dev` sees only so many days; the bound is for the odd one that sees more.
    if (formatter.days.size >= 100_000) formatter.days.clear();
    formatter.days.set(day, text);
  }
  return text;
}

const utcTexts = new WeakMap<Date, { time: number; text: string }>();

/**
 * `toUtcSeconds` of an entry's date, made once: a post's page, its listings and its envelope all
 * give it. Kept with the time it was made for, so a date changed since is made again.
 */
export function utcSeconds(date: Date): string {
  const time = date.getTime();
  let known = utcTexts.get(date);
  if (known === undefined || known.time !== time) utcTexts.set(date, (known = { time, text: toUtcSeconds(date) }));
  return known.text;
}

export function feedLinks(title: string, feeds: { rss: string; atom: string; json: string }): FeedLink[] {
  return [
    { type: 'application/rss+xml', title: `${title} (RSS)`, url: feeds.rss },
    { type: 'application/atom+xml', title: `${title} (Atom)`, url: feeds.atom },
    { type: 'application/feed+json', title: `${title} (JSON Feed)`, url: feeds.json },
  ];
}

/** Words a minute a reading time counts, as Medium's and most themes' estimates do. */
export const WORDS_PER_MINUTE = 230;

export function postView(entry: Entry, html: string, words: number, config: SiteConfig, urls: SiteUrls): PostView {
  const made: PostView = {
    kind: entry.kind,
    title: entry.title,
    url: urls.absolute(entry.urlPath),
    path: urls.link(entry.urlPath),
    date: entry.date ? utcSeconds(entry.date) : undefined,
    dateText: entry.date ? formatDate(entry.date, config.language) : undefined,
    updated: entry.updated ? utcSeconds(entry.updated) : undefined,
    updatedText: entry.updated ? formatDate(entry.updated, config.language) : undefined,
    author: entry.author ?? config.author.name,
    summary: entry.summary,
    // Its own copy: the listings hold every post's view until they are made.
    excerpt: entry.summary || detached(feeds().excerpt(undefined, html)),
    words,
    readingTime: Math.max(1, Math.round(words / WORDS_PER_MINUTE)),
    tags: entry.tags.map((name) => ({ name, path: urls.link(`/tags/${slugOf(name)}/`) })),
    content: html,
    data: entry.data,
  };
  if (entry.draft) made.draft = true;
  return made;
}

/** A site's configuration after validation and defaults: every field is present. */
export interface SiteConfig {
  /** The folder the config was read from; every other path is relative to it. */
  root: string;
  /** The config file that was read, or undefined when the site has none. */
  file: string | undefined;
  title: string;
  /** Absolute base URL, always ending in `/`. */
  url: string;
  language: string;
  description: string;
  author: Author;
  /** Pattern for post URLs: `:year`, `:month`, `:day`, `:slug`, `:path` (the file's path). */
  permalink: string;
  postsPerPage: number;
  feed: FeedConfig;
  markdown: MarkdownConfig;
  dirs: DirsConfig;
  /** What is allowed but probably not meant (an `http:` url), for the build to print: file, line, message. */
  warnings?: ConfigWarning[];
}

export interface ConfigWarning {
  file: string;
  line?: number;
  message: string;
}

export interface Author {
  name: string;
  url?: string;
}

export interface FeedConfig {
  /** How many of the newest posts each feed carries. */
  items: number;
  /** Full post content in feeds (the default) or the summary only. */
  fullContent: boolean;
}

export interface MarkdownConfig {
  /** Keep raw HTML in Markdown as written instead of sanitizing it. */
  trustHtml: boolean;
  /** A link or image pointing at nothing in the site fails the build (for CI) instead of warning. */
  strictLinks: boolean;
}

export interface DirsConfig {
  content: string;
  static: string;
  layouts: string;
  out: string;
}

export const CONFIG_FILES = ['signet.config.yaml', 'signet.config.yml', 'signet.config.json'] as const;

export const DEFAULTS = {
  language: 'en',
  description: '',
  permalink: '/:path/',
  postsPerPage: 10,
  feed: { items: 20, fullContent: true },
  markdown: { trustHtml: false, strictLinks: false },
  dirs: { content: 'content', static: 'static', layouts: 'layouts', out: 'dist' },
} as const;

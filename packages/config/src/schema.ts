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
  /** Present when the site sends posts by email (`signet email`). */
  email?: EmailConfig;
  /** Present when the config has a `webmention:` group (an external receiver). */
  webmention?: WebmentionConfig;
  /**
   * Email addresses and phone numbers the author means to publish: the build warns about any other
   * it finds in the config or content, as it would undo a pen name.
   */
  publicContacts?: string[];
  /** `funding:` and `lightning:`, in that order; absent when the site has none. */
  funding?: FundingLink[];
  /** An Open Payments wallet address (https) for Web Monetization. */
  monetization?: string;
  fundingManifest?: FundingManifestConfig;
  /** Present when the config has an `images:` group; the build's defaults otherwise. */
  images?: ImagesConfig;
  /** The image sharing cards show for a page with none of its own: a path in the site or a URL. */
  image?: string;
  /** The site's icon, a path in the site (`/favicon.svg`); else `static/favicon.svg` or `favicon.ico` when there. */
  icon?: string;
  /** The site's own values for layouts, as written (`site.params`). */
  params?: Record<string, unknown>;
  /** The theme's words by name (`tags`, `feed`, …), overriding those of the site's language. */
  strings?: Record<string, string>;
  /** The line of each key under `strings:`: the site, which knows the theme's keys, warns about any other. */
  stringLines?: Record<string, number>;
  /**
   * Which replies from followed sites show under the posts they answer: `signed` (verified against
   * their domain's key; the default), `followed` (unsigned ones too) or `none`. Absent when not written.
   */
  replies?: RepliesPolicy;
}

export const REPLIES_POLICIES = ['signed', 'followed', 'none'] as const;
export type RepliesPolicy = (typeof REPLIES_POLICIES)[number];

export interface ConfigWarning {
  file: string;
  line?: number;
  message: string;
}

export interface Author {
  name: string;
  url?: string;
  /** The avatar image's path in the published site (`avatar.png` for `static/avatar.png`). */
  avatar?: string;
  bio?: string;
  /** Accounts and sites that are the same author: `<link rel="me">` and did.json `alsoKnownAs`. */
  me?: string[];
}

/** A way to pay the author: an https URL, or `lightning:name@domain`. */
export interface FundingLink {
  label: string;
  url: string;
}

/** `fundingManifest:` publishes /funding.json (funding.json v1); the email is the author's own choice. */
export interface FundingManifestConfig {
  email: string;
  type: 'individual' | 'group' | 'organisation' | 'other';
  description?: string;
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

export interface EmailConfig {
  /** The From header as written, e.g. `Field Notes <letters@field-notes.example>`. */
  from: string;
  /** The bare From address and its domain (lower case), on the site's domain. */
  address: string;
  domain: string;
  /** An https endpoint for one-click unsubscribe (RFC 8058); each letter gets its own signed URL. */
  unsubscribeUrl?: string;
  /** Where `mailto:` unsubscribe requests go; default the From address. */
  unsubscribeMailto?: string;
  /** The DKIM selector; the private key comes from SIGNET_DKIM_PRIVATE_KEY only. */
  dkimSelector?: string;
}

/** `webmention:` — an external receiver (a static site cannot take POSTs itself). */
export interface WebmentionConfig {
  /** `<link rel="webmention" href>` on every page. */
  endpoint?: string;
  /** The receiver's mentions as JSON (webmention.io's jf2 API), which `signet fetch` imports. */
  feed?: string;
}

export interface ImagesConfig {
  /** Keep each image's colour profile instead of converting its pixels to sRGB. */
  keepProfile: boolean;
  /** EXIF fields kept in published images (`Copyright`, `Artist`); never GPS. */
  keep: string[];
  /** Widths of the responsive copies of Markdown images (never wider than the image). */
  widths: number[];
  /** A Markdown image without alt text fails the build instead of warning. */
  strictAlt: boolean;
}

export interface DirsConfig {
  content: string;
  static: string;
  layouts: string;
  out: string;
  /**
   * Follow symbolic links in the content and static folders that point outside the site's folder.
   * Off by default: only links that stay inside the site are followed, and never one into `.signet/`.
   */
  followLinksOutside: boolean;
}

export const CONFIG_FILES = ['signet.config.yaml', 'signet.config.yml', 'signet.config.json'] as const;

export const DEFAULTS = {
  language: 'en',
  description: '',
  permalink: '/:path/',
  postsPerPage: 10,
  feed: { items: 20, fullContent: true },
  markdown: { trustHtml: false, strictLinks: false },
  dirs: { content: 'content', static: 'static', layouts: 'layouts', out: 'dist', followLinksOutside: false },
} as const;

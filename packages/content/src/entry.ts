import type { FundingLink } from '@signet/config';
/** What a Markdown file in `content/` is. `home` is `content/index.md`: the home page's introduction. */
export type EntryKind = 'post' | 'page' | 'home';

/** One Markdown file, read and checked: the canonical source record of a post or page. */
export interface Entry {
  kind: EntryKind;
  /** Path from the site root with `/` separators, e.g. `content/posts/hello.md`: used in messages. */
  source: string;
  /** Absolute path of the file. */
  file: string;
  /** SHA-256 (hex) of the file's bytes: the cache key of everything derived from it. */
  hash: string;
  /** Undefined for an untitled note. */
  title: string | undefined;
  date: Date | undefined;
  updated: Date | undefined;
  draft: boolean;
  tags: string[];
  summary: string | undefined;
  author: string | undefined;
  layout: string | undefined;
  /** `members`: a letter sent by email only, left out of the public site and feeds. */
  audience: 'public' | 'members';
  /** False when the post is never to be sent by email (`email: false`). */
  email: boolean;
  /** `funding: false`, or the post's own funding links (added to the site's); absent when not written. */
  funding?: FundingLink[] | false;
  slug: string;
  /** Site-relative URL path, starting and ending with `/` (or ending in a file name). */
  urlPath: string;
  /** Output file relative to the output folder, e.g. `posts/hello/index.html`. */
  outputPath: string;
  /** The Markdown after the front matter. */
  body: string;
  bodyLine: number;
  /** Every front matter key, including ones Signet does not know (kept for layouts). */
  data: Record<string, unknown>;
  /** The folder whose other files travel with this entry (a page bundle: `x/index.md`). */
  bundleDir: string | undefined;
  /** What the post replies to, likes, reposts or bookmarks (`in_reply_to: <url>` …); absent when none. */
  references?: { kind: 'in_reply_to' | 'like_of' | 'repost_of' | 'bookmark_of'; url: string }[];
}

/** A non-Markdown file copied to the output as it is. */
export interface Asset {
  /** Absolute path of the file. */
  file: string;
  /** Output path relative to the output folder. */
  outputPath: string;
}

export interface Warning {
  file: string;
  line?: number;
  message: string;
}

export interface ContentSet {
  /** Published posts, newest first. */
  posts: Entry[];
  pages: Entry[];
  home: Entry | undefined;
  assets: Asset[];
  warnings: Warning[];
  /** Posts this load left out: drafts (without `drafts`) and posts dated later (without `future`). */
  leftOut: { drafts: number; future: number };
}

/**
 * What a post points at (`in_reply_to`, `like_of`, `repost_of`, `bookmark_of`), from what
 * `signet fetch` stored about each target: the reference its envelope signs (the target's URL and,
 * when the target verified, its envelope's id and digest) and what its page shows ("In reply to
 * <title> on <site>, signed by <domain>"). The build stays offline. A site whose posts point at
 * nothing pays one property read per entry.
 */
import type { StringKey, ThemeStrings } from '@signet/theme/strings';
import type { Entry } from '@signet/content';
import type { Reference, ReferenceField } from '@signet/sign';
import { networkRead } from '../lazy.js';
import type { Context } from './context.js';

// Each kind's words in the theme's string table (`site.strings`), so they follow the site's language.
const KIND_TEXT: Record<ReferenceField, StringKey> = { in_reply_to: 'inReplyTo', like_of: 'liked', repost_of: 'reposted', bookmark_of: 'bookmarked' };

/** One reference as layouts see it: text and an http(s) link only. */
export interface ReferenceView {
  kind: ReferenceField;
  /** The microformats2 property without its prefix: `in-reply-to`, `like-of` … */
  className: string;
  /** "In reply to", "Liked", "Reposted", "Bookmarked". */
  kindText: string;
  url: string;
  /** The target's title, else its URL. */
  title: string;
  site: { title: string; url: string } | undefined;
  /** The domain that signed the target, when it verified. */
  signedBy: string | undefined;
}

export interface ResolvedReferences {
  /** The members the entry's envelope signs. */
  envelope: Partial<Record<ReferenceField, Reference>>;
  views: ReferenceView[];
  /** What the page shows from the store, for its cache key. */
  signature: string;
}

export function resolveReferences(ctx: Context): void {
  let dir: string | undefined;
  for (const list of [ctx.content.posts, ctx.content.pages]) for (const entry of list) {
    if (entry.references === undefined) continue;
    const read = networkRead();
    dir ??= read.networkDir(ctx.config.root);
    ctx.references ??= new Map();
    ctx.references.set(entry, resolve(entry, ctx.site.strings, (url) => read.readTargetSync(dir!, url)));
  }
}

function resolve(entry: Entry, strings: ThemeStrings, lookup: (url: string) => ReturnType<ReturnType<typeof networkRead>['readTargetSync']>): ResolvedReferences {
  const envelope: ResolvedReferences['envelope'] = {};
  const views: ReferenceView[] = [];
  for (const { kind, url } of entry.references!) {
    // One reference of each kind is signed (the first); a second is a mistake the page still shows.
    const target = lookup(url);
    const verified = target?.status === 'verified' && target.id !== undefined && target.digestMultibase !== undefined;
    envelope[kind] ??= verified ? { url, id: target.id!.normalize('NFC'), digestMultibase: target.digestMultibase! } : { url };
    const siteUrl = webUrl(target?.site?.url);
    views.push({
      kind, className: kind.replaceAll('_', '-'), kindText: strings[KIND_TEXT[kind]], url,
      title: target?.title ?? url,
      site: siteUrl && target?.site ? { title: target.site.title, url: siteUrl } : undefined,
      signedBy: verified ? target.domain : undefined,
    });
  }
  return { envelope, views, signature: JSON.stringify(views) };
}

function webUrl(value: string | undefined): string | undefined {
  return value !== undefined && /^https?:\/\//i.test(value) ? value : undefined;
}

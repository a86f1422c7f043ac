import type { Entry } from '@signet/content';
import type { SignedEnvelope } from '@signet/sign';
import type { BuildCache } from './cache.js';
import type { PageOfListing } from './listings.js';
import { signatureOf } from './memo.js';
import { intern, perBuild, type Carried } from './reuse.js';
import { writeSitemap, type SitemapEntry } from './seo.js';
import type { SiteUrls } from './urls.js';

/**
 * What a rebuild takes from the build before instead of making it again: URLs, cache keys and page
 * signatures. The entry cache hands back the same entry object for a file whose bytes and settings
 * are unchanged, and an entry object always has the same hash and URL; so values made from the same
 * entry objects under the same site signature (config, layouts and site view) are the same, and a
 * rebuild of `signet dev` makes them again only for the files that changed. Strings compared here
 * are interned, so a comparison is a pointer comparison. A clean build only pays for the lookups.
 */
export interface Derive {
  /** The entry's absolute URL. */
  url(entry: Entry): string;
  /** The key of the entry's rendered Markdown in the cache. */
  markdownKey(entry: Entry): string;
  /**
   * The signature of the inputs of an entry's own page, the entry's absolute URL and its sitemap
   * entry: its layout, its envelope, the neighbours it links, and `extra` (what else its page shows,
   * rarely anything).
   */
  page(entry: Entry, layout: string, envelope: SignedEnvelope | undefined, newer: Entry | undefined, older: Entry | undefined, extra: string | undefined): EntryPage;
  /** The signature of the inputs of one page of a listing, and its absolute URL. */
  listingPage(outputPath: string, layout: string, pageJson: string, part: PageOfListing): { signature: string; url: string };
  /** `sitemap.xml`. */
  sitemap(entries: SitemapEntry[]): string;
}

/** What an entry's own page is made from, and what the build lists of it. */
export interface EntryPage {
  layout: string;
  envelope: SignedEnvelope | undefined;
  newer: Entry | undefined;
  older: Entry | undefined;
  extra: string | undefined;
  signature: string;
  url: string;
  sitemap: SitemapEntry;
}

interface EntryMade {
  site: string;
  url: string;
  markdownKey: string | undefined;
  page: EntryPage | undefined;
}

interface ListingMade {
  site: string;
  layout: string;
  pageJson: string;
  page: number;
  pages: number;
  posts: Entry[];
  signature: string;
  url: string;
}

const byEntry = new WeakMap<Entry, EntryMade>();
const listings = perBuild<ListingMade>();
const sitemaps = perBuild<{ entries: SitemapEntry[]; xml: string }>();

/**
 * `remember`: keep each page's inputs for the next build's comparison. Only a cache that outlives the
 * build has a next build; kept in one that does not, they held every post's envelope (and with it
 * its HTML) to the end of the build, long after its page was made.
 */
export function deriver(cache: BuildCache, siteSignature: string, urls: SiteUrls, trustHtml: boolean, remember: boolean): Derive {
  const site = intern(siteSignature);
  const listingMemo = listings.begin(cache);
  const sitemapMemo: Carried<{ entries: SitemapEntry[]; xml: string }> = sitemaps.begin(cache);
  const made = (entry: Entry): EntryMade => {
    let known = byEntry.get(entry);
    if (known === undefined || known.site !== site) {
      known = { site, url: urls.absolute(entry.urlPath), markdownKey: undefined, page: undefined };
      byEntry.set(entry, known);
    }
    return known;
  };
  return {
    url: (entry) => made(entry).url,
    markdownKey(entry) {
      const known = made(entry);
      known.markdownKey ??= `${entry.hash}|${trustHtml}|${known.url}`;
      return known.markdownKey;
    },
    page(entry, layout, envelope, newer, older, extra) {
      const known = made(entry);
      const page = known.page;
      // Compared part by part, as objects: an envelope object holds one proof and an entry object
      // one hash and URL. Joining them into one text for every page of a rebuild cost more than
      // the rest of the check; so did reading each envelope's proof.
      if (page === undefined || page.layout !== layout || page.envelope !== envelope || page.newer !== newer || page.older !== older || page.extra !== extra) {
        const neighbours = [newer?.hash ?? '', newer?.urlPath ?? '', older?.hash ?? '', older?.urlPath ?? ''];
        const signature = signatureOf(site, layout, entry.hash, envelope?.proof.proofValue ?? '', ...neighbours, extra ?? '');
        const sitemap = { url: known.url, lastmod: envelope ? envelope.date_modified ?? envelope.date_published : undefined };
        const made = { layout, envelope, newer, older, extra, signature, url: known.url, sitemap };
        if (remember) known.page = made;
        return made;
      }
      return page;
    },
    listingPage(outputPath, layout, pageJson, part) {
      const json = intern(pageJson);
      const known = listingMemo.get(outputPath);
      if (known && known.site === site && known.layout === layout && known.pageJson === json && known.page === part.page && known.pages === part.pages && samePosts(known.posts, part.posts)) {
        return known;
      }
      const signature = signatureOf(site, layout, json, String(part.page), String(part.pages), ...part.posts.map((p) => `${p.hash} ${p.urlPath}`));
      const fresh = { site, layout, pageJson: json, page: part.page, pages: part.pages, posts: part.posts, signature, url: urls.absolute(part.urlPath) };
      listingMemo.set(outputPath, fresh);
      return fresh;
    },
    sitemap(entries) {
      const known = sitemapMemo.get('sitemap.xml');
      if (known && sameSitemap(known.entries, entries)) return known.xml;
      const xml = writeSitemap(entries);
      sitemapMemo.set('sitemap.xml', { entries, xml });
      return xml;
    },
  };
}

function samePosts(a: Entry[], b: Entry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

function sameSitemap(a: SitemapEntry[], b: SitemapEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i]!.url !== b[i]!.url || a[i]!.lastmod !== b[i]!.lastmod) return false;
  return true;
}

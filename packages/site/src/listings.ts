import type { Entry } from '@signet/content';
import { contentModule } from './lazy.js';


export interface Listing<T = Entry> {
  /** URL path of the first page, e.g. `/` or `/tags/travel/`. */
  urlPath: string;
  posts: T[];
}

export interface PageOfListing<T = Entry> {
  urlPath: string;
  posts: T[];
  page: number;
  pages: number;
  newer: string | undefined;
  older: string | undefined;
}

/** `/`, `/page/2/`, `/page/3/` …: Hugo's and Eleventy's pagination URLs. */
export function paginate<T>(listing: Listing<T>, perPage: number): PageOfListing<T>[] {
  const pages = Math.max(1, Math.ceil(listing.posts.length / perPage));
  const pathOf = (n: number) => (n === 1 ? listing.urlPath : `${listing.urlPath}page/${n}/`);
  return Array.from({ length: pages }, (_, i) => ({
    urlPath: pathOf(i + 1),
    posts: listing.posts.slice(i * perPage, (i + 1) * perPage),
    page: i + 1,
    pages,
    newer: i > 0 ? pathOf(i) : undefined,
    older: i + 1 < pages ? pathOf(i + 2) : undefined,
  }));
}

export interface Tag {
  name: string;
  slug: string;
  posts: Entry[];
}

// Tag names repeat across posts and builds; making a slug (Unicode normalization, two regular
// expressions) costs far more than looking it up.
const slugs = new Map<string, string>();

function slugOf(name: string): string {
  let slug = slugs.get(name);
  if (slug === undefined) {
    if (slugs.size >= 10000) slugs.clear();
    slug = contentModule().tagSlug(name);
    slugs.set(name, slug);
  }
  return slug;
}

/** Tags by slug: "Travel" and "travel" are one tag, named as first seen. Sorted by name. */
export function collectTags(posts: Entry[]): Tag[] {
  const bySlug = new Map<string, Tag>();
  for (const post of posts) {
    for (const name of post.tags) {
      const slug = slugOf(name);
      let tag = bySlug.get(slug);
      if (!tag) {
        tag = { name, slug, posts: [] };
        bySlug.set(slug, tag);
      }
      if (tag.posts[tag.posts.length - 1] !== post) tag.posts.push(post);
    }
  }
  return [...bySlug.values()].sort((a, b) => a.slug.localeCompare(b.slug, 'en'));
}

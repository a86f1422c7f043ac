import type { Entry } from '@signet/content';
import { SignetError } from '@signet/config';
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

// Tag names repeat across posts and builds; making a slug (Unicode normalization, a look at each
// character) costs far more than looking it up.
const slugs = new Map<string, { slug: string; identity: string }>();

function tagOf(name: string): { slug: string; identity: string } {
  let known = slugs.get(name);
  if (known === undefined) {
    if (slugs.size >= 10000) slugs.clear();
    const content = contentModule();
    known = { slug: content.tagSlug(name), identity: content.tagIdentity(name) };
    slugs.set(name, known);
  }
  return known;
}

/** The URL segment of a tag's page (`tagSlug`, remembered). */
export function slugOf(name: string): string {
  return tagOf(name).slug;
}

/**
 * Tags by slug: "Travel" and "travel" are one tag, named as first seen. Sorted by name. Two tags
 * that are not the same (`C#` and `c sharp`) but would share a page are an error naming both.
 */
export function collectTags(posts: Entry[]): Tag[] {
  const bySlug = new Map<string, Tag & { identity: string }>();
  for (const post of posts) {
    for (const name of post.tags) {
      const { slug, identity } = tagOf(name);
      let tag = bySlug.get(slug);
      if (!tag) {
        tag = { name, slug, identity, posts: [] };
        bySlug.set(slug, tag);
      } else if (tag.identity !== identity) {
        throw new SignetError(`the tags "${tag.name}" (${tag.posts[0]!.source}) and "${name}" (${post.source}) would share the page /tags/${slug}/`, {
          file: post.source,
          hint: `Write one of them as the other is written, or rename it, in its \`tags\`.`,
        });
      }
      if (tag.posts[tag.posts.length - 1] !== post) tag.posts.push(post);
    }
  }
  return [...bySlug.values()].map(({ identity: _, ...tag }) => tag).sort((a, b) => a.slug.localeCompare(b.slug, 'en'));
}

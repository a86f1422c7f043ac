import type { Element, Root } from 'hast';
import { selfAnchors } from './headings.js';
import { eachElement } from './walk.js';

const URL_PROPERTIES: Record<string, string[]> = {
  a: ['href'],
  img: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  source: ['src'],
  track: ['src'],
  iframe: ['src'],
};

/**
 * Resolves every relative link and image against the page's absolute URL. Feed readers and the
 * signed envelope see a post out of its page, where a relative URL would point nowhere. Says whether
 * anything changed: most posts link nowhere relative, and their tree need not be printed twice.
 */
export function absolutizeTree(tree: Root, baseUrl: string, siteRelative = false, links?: string[]): boolean {
  let changed = false;
  eachElement(tree, (node: Element) => {
    for (const key in node.properties) {
      const value = node.properties[key];
      const resolved = absoluteValue(node.tagName, key, value, baseUrl, siteRelative);
      if (resolved === undefined || resolved === value) continue;
      if (links && isReportedLink(node, key)) links.push(value as string);
      node.properties[key] = resolved;
      changed = true;
    }
  });
  return changed;
}

/**
 * Whether a relative URL the printer resolves is one of the post's links, which the site checks: not
 * a `srcset` (image candidates), nor a heading's own anchor (it points at its heading's id, so it
 * cannot break).
 */
export function isReportedLink(node: Element, key: string): boolean {
  return key !== 'srcSet' && !selfAnchors.has(node);
}

/**
 * Replaces link targets (`a` `href`s) found in `targets`, keeping a `#fragment` or `?query` after
 * them: how a link to a Markdown source becomes the URL of the page made from it.
 */
export function retargetLinks(tree: Root, targets: Record<string, string>): void {
  eachElement(tree, (node: Element) => {
    const href = node.tagName === 'a' ? node.properties.href : undefined;
    if (typeof href !== 'string') return;
    const cut = href.search(/[?#]/);
    const target = Object.hasOwn(targets, cut === -1 ? href : href.slice(0, cut)) ? targets[cut === -1 ? href : href.slice(0, cut)] : undefined;
    if (target !== undefined) node.properties.href = cut === -1 ? target : target + href.slice(cut);
  });
}

/**
 * The value a property of an element has with its URLs resolved against `baseUrl`, or undefined when
 * it holds no URL (`absolutizeTree`, and the printer that makes a post's two HTML strings in one pass).
 */
export function absoluteValue(tagName: string, key: string, value: unknown, baseUrl: string, siteRelative = false): string | undefined {
  // hast keeps `srcset` as one string (older versions split it into a list).
  if (key === 'srcSet') return typeof value === 'string' || Array.isArray(value) ? resolveSrcset(Array.isArray(value) ? value.join(', ') : value, baseUrl, siteRelative) : undefined;
  if (typeof value !== 'string' || !Object.hasOwn(URL_PROPERTIES, tagName) || !URL_PROPERTIES[tagName]!.includes(key)) return undefined;
  return resolve(value, baseUrl, siteRelative);
}

/** Each candidate's URL, as the HTML spec splits them: a URL is a run of non-space ending any commas. */
function resolveSrcset(value: string, baseUrl: string, siteRelative: boolean): string {
  const out: string[] = [];
  let rest = value;
  for (;;) {
    rest = rest.replace(/^[\s,]+/, '');
    const url = /^\S+/.exec(rest)?.[0];
    if (url === undefined) break;
    rest = rest.slice(url.length);
    let descriptor = '';
    if (!url.endsWith(',')) {
      descriptor = /^[^,]*/.exec(rest)![0];
      rest = rest.slice(descriptor.length);
    }
    let end = url.length;
    while (url[end - 1] === ',') end -= 1;
    out.push([resolve(url.slice(0, end), baseUrl, siteRelative), descriptor.trim()].filter(Boolean).join(' '));
  }
  return out.join(', ');
}

/**
 * `value` resolved against `baseUrl`; with `siteRelative`, without the scheme and host when they are
 * the page's (`/blog/posts/a/photo.jpg`): what another page of the same site (a listing) shows, and
 * which works on whatever host serves the site, `signet dev`'s included.
 */
function resolve(value: string, baseUrl: string, siteRelative = false): string {
  // Absolute URLs (and mailto:, data: …) are left byte for byte as the writer wrote them.
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  let href: string;
  try {
    href = new URL(value, baseUrl).href;
  } catch {
    return value;
  }
  if (!siteRelative) return href;
  const origin = baseUrl.slice(0, baseUrl.indexOf('/', baseUrl.indexOf('//') + 2));
  return href.startsWith(`${origin}/`) ? href.slice(origin.length) : href;
}

import type { Element, Root } from 'hast';
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
export function absolutizeTree(tree: Root, baseUrl: string): boolean {
  let changed = false;
  eachElement(tree, (node: Element) => {
    for (const key in node.properties) {
      const value = node.properties[key];
      const resolved = absoluteValue(node.tagName, key, value, baseUrl);
      if (resolved === undefined || resolved === value) continue;
      node.properties[key] = resolved;
      changed = true;
    }
  });
  return changed;
}

/**
 * The value a property of an element has with its URLs resolved against `baseUrl`, or undefined when
 * it holds no URL (`absolutizeTree`, and the printer that makes a post's two HTML strings in one pass).
 */
export function absoluteValue(tagName: string, key: string, value: unknown, baseUrl: string): string | undefined {
  // hast keeps `srcset` as one string (older versions split it into a list).
  if (key === 'srcSet') return typeof value === 'string' || Array.isArray(value) ? resolveSrcset(Array.isArray(value) ? value.join(', ') : value, baseUrl) : undefined;
  if (typeof value !== 'string' || !Object.hasOwn(URL_PROPERTIES, tagName) || !URL_PROPERTIES[tagName]!.includes(key)) return undefined;
  return resolve(value, baseUrl);
}

/** Each candidate's URL, as the HTML spec splits them: a URL is a run of non-space ending any commas. */
function resolveSrcset(value: string, baseUrl: string): string {
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
    out.push([resolve(url.replace(/,+$/, ''), baseUrl), descriptor.trim()].filter(Boolean).join(' '));
  }
  return out.join(', ');
}

function resolve(value: string, baseUrl: string): string {
  // Absolute URLs (and mailto:, data: …) are left byte for byte as the writer wrote them.
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return value;
  try {
    return new URL(value, baseUrl).href;
  } catch {
    return value;
  }
}

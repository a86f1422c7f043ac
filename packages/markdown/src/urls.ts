import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

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
 * signed envelope see a post out of its page, where a relative URL would point nowhere.
 */
export function absolutizeTree(tree: Root, baseUrl: string): void {
  visit(tree, 'element', (node: Element) => {
    for (const name of URL_PROPERTIES[node.tagName] ?? []) {
      const value = node.properties[name];
      if (typeof value === 'string') node.properties[name] = resolve(value, baseUrl);
    }
    const srcset = node.properties.srcSet;
    if (Array.isArray(srcset)) {
      const resolved: string[] = srcset.map((item) => {
        const [url, ...rest] = String(item).trim().split(/\s+/);
        return [resolve(url ?? '', baseUrl), ...rest].join(' ');
      });
      (node.properties as Record<string, unknown>).srcSet = resolved;
    }
  });
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

import type { Element, Root, RootContent } from 'hast';
import type { Transformer } from 'unified';

type File = Parameters<Transformer<Root, Root>>[1];

/**
 * Wraps a rehype plugin that acts only inside some elements (headings, code blocks) so that its
 * transform gets a root holding just those elements, the outermost ones in document order, instead
 * of the whole tree. The plugins wrapped here walk every node with unist-util-visit, which keeps an
 * ancestor list per node and costs more than their actual work; given the same elements in the same
 * order they make the same changes (tests compare with the plugins on the whole tree, byte for byte).
 */
export function onlyOn<Options>(plugin: (options?: Options) => unknown, pick: (node: Element) => boolean) {
  return function (this: unknown, options?: Options) {
    // The plugins wrapped here transform synchronously, in place.
    const transform = plugin.call(this, options) as (tree: Root, file: File) => void;
    return (tree: Root, file: File): undefined => {
      const picked: Element[] = [];
      const walk = (children: RootContent[]) => {
        for (const child of children) {
          if (child.type !== 'element') continue;
          if (pick(child)) picked.push(child);
          // Like unist-util-visit, a <template>'s `content` fragment is not entered.
          else walk(child.children);
        }
      };
      walk(tree.children);
      if (picked.length > 0) transform({ type: 'root', children: picked }, file);
      return undefined;
    };
  };
}

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

/** h1 to h6, as hast-util-heading-rank (which rehype-slug and rehype-autolink-headings use) reads them. */
export function isHeading(node: Element): boolean {
  return HEADINGS.has(node.tagName.toLowerCase());
}

export function isPre(node: Element): boolean {
  return node.tagName === 'pre';
}

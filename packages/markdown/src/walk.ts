import type { Element, Root, RootContent } from 'hast';

/**
 * Calls `fn` on every element, parents before children. For passes that only change properties:
 * it allocates nothing per node, where unist-util-visit keeps an ancestor list for each one, and
 * these passes run on every post of every build.
 */
export function eachElement(tree: Root, fn: (node: Element) => void): void {
  const walk = (children: RootContent[]) => {
    for (const child of children) {
      if (child.type !== 'element') continue;
      fn(child);
      // Like unist-util-visit, a <template>'s `content` fragment is not entered.
      walk(child.children);
    }
  };
  walk(tree.children);
}

import type { Element, Root } from 'hast';
import { eachElement } from './walk.js';

/**
 * GFM table alignment comes out of remark-rehype as `align="right"`, which HTML5 no longer allows.
 * It becomes a class (`align-right`) that the theme styles. Runs after sanitizing, which would
 * otherwise strip the class.
 */
export function rehypeAlignClasses() {
  return (tree: Root) => {
    eachElement(tree, (node: Element) => {
      if (node.tagName !== 'th' && node.tagName !== 'td') return;
      const align = node.properties.align;
      if (typeof align !== 'string') return;
      delete node.properties.align;
      const existing = node.properties.className;
      const classes = Array.isArray(existing) ? existing.map(String) : [];
      node.properties.className = [...classes, `align-${align}`];
    });
  };
}

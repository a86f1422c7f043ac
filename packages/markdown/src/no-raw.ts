import type { Element, Root } from 'hast';
import { eachElement } from './walk.js';

/**
 * Stands in for rehype-raw when a post has no raw HTML. rehype-raw's parse5 round trip changes the
 * tree in one way that shows in the output: a `data-*` property set to `true` (remark-rehype's
 * `dataFootnoteRef` and `dataFootnotes`) comes back as `''`, which prints `data-footnote-ref=""`.
 * Doing the same here keeps the HTML byte-identical to the full pipeline (tests compare the two).
 */
export function rehypeLikeRaw() {
  return (tree: Root) => {
    eachElement(tree, (node: Element) => {
      const properties = node.properties;
      for (const key in properties) {
        if (properties[key] === true && key.startsWith('data')) properties[key] = '';
      }
    });
  };
}

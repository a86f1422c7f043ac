import type { Element, Root } from 'hast';
import GithubSlugger from 'github-slugger';
import { toString } from 'hast-util-to-string';

const slugs = new GithubSlugger();

/**
 * The anchor links made here. They point at their own heading's id, so they cannot break: they are
 * not reported among a post's relative links, which the site checks (and a post with a heading but
 * no link of its own then costs the link check nothing).
 */
export const selfAnchors = new WeakSet<Element>();

/**
 * Heading ids and anchor links: what rehype-slug and then rehype-autolink-headings (`behavior:
 * 'append'`, the options below) do, given the document's headings only (see only-on.ts). Those two
 * each walk the tree with unist-util-visit and clone their options with a structured-clone polyfill
 * for every heading, which cost more than the rest of a post's plugins but highlighting; this makes
 * the same changes directly (the Markdown tests compare it with both plugins on the whole tree).
 *
 * An id: github-slugger's slug of the heading's text, unique within the document (`-1`, `-2` for
 * repeats), unless the heading has one. A link: `<a class="anchor" aria-label="Link to this section"
 * href="#id">#</a>` appended, except in the footnotes' screen-reader heading (`sr-only`).
 */
export function rehypeHeadingAnchors() {
  return (tree: Root): undefined => {
    slugs.reset();
    const headings = tree.children.filter((node): node is Element => node.type === 'element');
    for (const heading of headings) {
      if (!heading.properties.id) heading.properties.id = slugs.slug(toString(heading));
    }
    for (const heading of headings) {
      const className = heading.properties.className;
      if (!heading.properties.id || (Array.isArray(className) && className.includes('sr-only'))) continue;
      const anchor: Element = {
        type: 'element',
        tagName: 'a',
        properties: { className: ['anchor'], ariaLabel: 'Link to this section', href: `#${String(heading.properties.id)}` },
        children: [{ type: 'text', value: '#' }],
      };
      selfAnchors.add(anchor);
      heading.children.push(anchor);
    }
    return undefined;
  };
}

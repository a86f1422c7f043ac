import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';

/**
 * What layouts show beside a post and the Markdown step can give at once, so nothing reads a post's
 * HTML again for it: its number of words (for reading time), its headings with ids (for a table of
 * contents) and where `<!--more-->` ends its summary.
 */

/** Words in `text`: runs of characters between spaces. A scan of the text, allocating nothing. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13 || code === 12 || code === 160;
    if (!space && !inWord) words++;
    inWord = !space;
  }
  return words;
}

export interface Heading {
  /** 2 for `<h2>` … 6 for `<h6>`. */
  depth: number;
  id: string;
  text: string;
}

const DEPTHS: Record<string, number> = { h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };

/**
 * The document's own headings below the title (`<h2>`–`<h6>`) that have an id, as the heading anchors
 * step left them: their text without the appended `#` link. Only the top level is read, where the
 * anchors step gives ids; the footnotes' screen-reader heading is left out.
 */
export function headingsOf(tree: Root): Heading[] | undefined {
  let headings: Heading[] | undefined;
  for (const node of tree.children) {
    if (node.type !== 'element') continue;
    const depth = DEPTHS[node.tagName];
    const id = node.properties.id;
    if (depth === undefined || typeof id !== 'string' || id === '') continue;
    const className = node.properties.className;
    if (Array.isArray(className) && className.includes('sr-only')) continue;
    const children = node.children.filter((child) => !(child.type === 'element' && isAnchor(child)));
    (headings ??= []).push({ depth, id, text: toString({ ...node, children }).replace(/\s+/g, ' ').trim() });
  }
  return headings;
}

function isAnchor(node: Element): boolean {
  const className = node.properties.className;
  return node.tagName === 'a' && Array.isArray(className) && className.includes('anchor');
}

/**
 * Where the summary ends: a line holding only `<!--more-->` (Hugo's and Jekyll's marker, spaces
 * allowed inside), as an offset into the Markdown, or -1.
 */
export function moreAt(markdown: string): number {
  if (!markdown.includes('-->')) return -1;
  const match = /^<!--\s*more\s*-->[ \t]*$/m.exec(markdown);
  return match ? match.index : -1;
}

import type { Element, ElementContent, Root as HastRoot, Text } from 'hast';
import type { Nodes, Parents, Root as MdastRoot } from 'mdast';
import { normalizeUri } from 'micromark-util-sanitize-uri';
import { trimLines } from 'trim-lines';

/**
 * The hast tree the full pipeline (remark-rehype, then rehype-sanitize with GitHub's schema) makes,
 * made directly, for a post written only in paragraphs, headings, quotes, rules and inline text,
 * emphasis, code and links: most posts. Anything else (lists, tables, code blocks, footnotes, images,
 * raw HTML, a link whose protocol the sanitizer drops, a node with `data`) gives undefined, and the
 * post goes through the full pipeline. Going through unified's plugin chain, mdast-util-to-hast's
 * state (which walks the tree for definitions first) and the sanitizer's copy took three quarters of
 * a plain post's time after parsing. Each handler below follows mdast-util-to-hast 13's; tests render
 * the CommonMark examples, random posts and the repository's Markdown both ways.
 */
export function simpleHast(tree: MdastRoot): HastRoot | undefined {
  const children = all(tree);
  return children && { type: 'root', children: wrap(children, false) };
}

// Protocols GitHub's schema (hast-util-sanitize) keeps in `href`.
const HREF_PROTOCOLS = ['http', 'https', 'irc', 'ircs', 'mailto', 'xmpp'];

function all(parent: Parents): ElementContent[] | undefined {
  const values: ElementContent[] = [];
  for (const node of parent.children) {
    if (node.type === 'definition') continue;
    const result = one(node);
    if (result === undefined) return undefined;
    // mdast-util-to-hast also trims spaces and tabs from the start of what follows a hard break:
    // markdown-it leaves none there (the tests hold breaks followed by spaces).
    values.push(result);
    if (node.type === 'break') values.push({ type: 'text', value: '\n' });
  }
  return values;
}

function one(node: Nodes): ElementContent | undefined {
  if ('data' in node && node.data && ('hName' in node.data || 'hProperties' in node.data || 'hChildren' in node.data)) return undefined;
  switch (node.type) {
    case 'text':
      return { type: 'text', value: trimLines(String(node.value)) };
    case 'paragraph':
      return element('p', node);
    case 'heading':
      return element(`h${node.depth}`, node);
    case 'emphasis':
      return element('em', node);
    case 'strong':
      return element('strong', node);
    case 'delete':
      return element('del', node);
    case 'blockquote': {
      const children = all(node);
      return children && { type: 'element', tagName: 'blockquote', properties: {}, children: wrap(children, true) };
    }
    case 'thematicBreak':
      return { type: 'element', tagName: 'hr', properties: {}, children: [] };
    case 'break':
      return { type: 'element', tagName: 'br', properties: {}, children: [] };
    case 'inlineCode':
      return { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: node.value.replace(/\r?\n|\r/g, ' ') }] };
    case 'link': {
      const href = normalizeUri(node.url);
      if (!safeHref(href)) return undefined;
      const link = element('a', node);
      if (!link) return undefined;
      link.properties = node.title === null || node.title === undefined ? { href } : { href, title: node.title };
      return link;
    }
    default:
      return undefined;
  }
}

function element(tagName: string, node: Parents): Element | undefined {
  const children = all(node);
  return children && { type: 'element', tagName, properties: {}, children };
}

/** mdast-util-to-hast's `wrap`: a line ending between blocks, and around them when `loose`. */
function wrap(nodes: ElementContent[], loose: boolean): ElementContent[] {
  const result: ElementContent[] = [];
  const newline = (): Text => ({ type: 'text', value: '\n' });
  if (loose) result.push(newline());
  for (let index = 0; index < nodes.length; index++) {
    if (index) result.push(newline());
    result.push(nodes[index]!);
  }
  if (loose && nodes.length > 0) result.push(newline());
  return result;
}

/** hast-util-sanitize's protocol check for `href` under GitHub's schema. */
function safeHref(url: string): boolean {
  const colon = url.indexOf(':');
  const questionMark = url.indexOf('?');
  const numberSign = url.indexOf('#');
  const slash = url.indexOf('/');
  if (colon < 0 || (slash > -1 && colon > slash) || (questionMark > -1 && colon > questionMark) || (numberSign > -1 && colon > numberSign)) return true;
  return HREF_PROTOCOLS.some((protocol) => colon === protocol.length && url.slice(0, protocol.length) === protocol);
}

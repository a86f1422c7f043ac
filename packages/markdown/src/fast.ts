import type { Element, ElementContent, Properties, Root as HastRoot, Text } from 'hast';
import type { FootnoteDefinition, List, ListItem, Nodes, Parents, Root as MdastRoot, Table, TableRow } from 'mdast';
import { normalizeUri } from 'micromark-util-sanitize-uri';
import { trimLines } from 'trim-lines';

/**
 * The hast tree the full pipeline's first steps (remark-rehype, then rehype-sanitize with GitHub's
 * schema) make, made directly, for a post without raw HTML: paragraphs, headings, quotes, rules,
 * lists (task lists too), code blocks, tables, footnotes and inline text, emphasis, code, links and
 * images. A link or image whose protocol the sanitizer drops, or a node with `data`, gives undefined,
 * and the post goes through the full pipeline. Going through unified's plugin chain,
 * mdast-util-to-hast's state (which walks the tree for definitions first) and the sanitizer's copy
 * took three quarters of a plain post's time after parsing. Each handler below follows
 * mdast-util-to-hast 13's; what the sanitizer would change (the `data-footnote-*` values that
 * rehype-raw's stand-in empties) is made as it would leave it. Tests render the CommonMark examples,
 * random posts and the repository's Markdown both ways.
 */
export function simpleHast(tree: MdastRoot): { tree: HastRoot; code: boolean } | undefined {
  const state: State = { footnoteById: new Map(), footnoteOrder: [], footnoteCounts: new Map(), code: false };
  collectFootnotes(tree, state.footnoteById);
  const children = all(state, tree);
  if (!children) return undefined;
  const root: HastRoot = { type: 'root', children: wrap(children, false) };
  const foot = footer(state);
  if (foot === null) return undefined;
  if (foot) root.children.push({ type: 'text', value: '\n' }, foot);
  return { tree: root, code: state.code };
}

interface State {
  footnoteById: Map<string, FootnoteDefinition>;
  footnoteOrder: string[];
  footnoteCounts: Map<string, number>;
  /** Whether a code block was made: only then is highlighting (and highlight.js) needed. */
  code: boolean;
}

// Protocols GitHub's schema (hast-util-sanitize) keeps in `href` and `src`.
const HREF_PROTOCOLS = ['http', 'https', 'irc', 'ircs', 'mailto', 'xmpp'];
const SRC_PROTOCOLS = ['http', 'https'];
const PREFIX = 'user-content-';

function collectFootnotes(node: Nodes, into: Map<string, FootnoteDefinition>): void {
  if (node.type === 'footnoteDefinition') {
    const id = String(node.identifier).toUpperCase();
    if (!into.has(id)) into.set(id, node);
  }
  if ('children' in node) for (const child of node.children) collectFootnotes(child, into);
}

function all(state: State, parent: Parents): ElementContent[] | undefined {
  const values: ElementContent[] = [];
  for (let index = 0; index < parent.children.length; index++) {
    const node = parent.children[index]!;
    if (node.type === 'definition' || node.type === 'footnoteDefinition') continue;
    const result = node.type === 'listItem' ? listItem(state, node, parent) : node.type === 'tableRow' ? tableRow(state, node, parent, index) : one(state, node);
    if (result === undefined) return undefined;
    // mdast-util-to-hast also trims spaces and tabs from the start of what follows a hard break:
    // markdown-it leaves none there (the tests hold breaks followed by spaces).
    values.push(result);
    if (node.type === 'break') values.push({ type: 'text', value: '\n' });
  }
  return values;
}

function one(state: State, node: Nodes): ElementContent | undefined {
  if (asksForOtherHast(node)) return undefined;
  switch (node.type) {
    case 'text':
      return { type: 'text', value: trimLines(String(node.value)) };
    case 'paragraph':
      return element(state, 'p', node);
    case 'heading':
      return element(state, `h${node.depth}`, node);
    case 'emphasis':
      return element(state, 'em', node);
    case 'strong':
      return element(state, 'strong', node);
    case 'delete':
      return element(state, 'del', node);
    case 'blockquote': {
      const children = all(state, node);
      return children && { type: 'element', tagName: 'blockquote', properties: {}, children: wrap(children, true) };
    }
    case 'thematicBreak':
      return { type: 'element', tagName: 'hr', properties: {}, children: [] };
    case 'break':
      return { type: 'element', tagName: 'br', properties: {}, children: [] };
    case 'inlineCode':
      return { type: 'element', tagName: 'code', properties: {}, children: [{ type: 'text', value: node.value.replace(/\r?\n|\r/g, ' ') }] };
    case 'code': {
      state.code = true;
      const language = node.lang ? node.lang.split(/\s+/) : [];
      // The sanitizer keeps a class only of the form `language-x`.
      const properties: Properties = language.length > 0 && language[0] !== '' ? { className: [`language-${language[0]}`] } : {};
      const code: Element = { type: 'element', tagName: 'code', properties, children: [{ type: 'text', value: node.value ? `${node.value}\n` : '' }] };
      return { type: 'element', tagName: 'pre', properties: {}, children: [code] };
    }
    case 'link': {
      const href = normalizeUri(node.url);
      if (!safeUrl(href, HREF_PROTOCOLS)) return undefined;
      const link = element(state, 'a', node);
      if (!link) return undefined;
      link.properties = node.title === null || node.title === undefined ? { href } : { href, title: node.title };
      return link;
    }
    case 'image': {
      const src = normalizeUri(node.url);
      if (!safeUrl(src, SRC_PROTOCOLS)) return undefined;
      const properties: Properties = { src };
      if (node.alt !== null && node.alt !== undefined) properties.alt = node.alt;
      if (node.title !== null && node.title !== undefined) properties.title = node.title;
      return { type: 'element', tagName: 'img', properties, children: [] };
    }
    case 'list':
      return list(state, node);
    case 'table':
      return table(state, node);
    case 'footnoteReference':
      return footnoteReference(state, String(node.identifier));
    default:
      return undefined;
  }
}

/** A node whose `data` tells mdast-util-to-hast to make something else than its handler would. */
function asksForOtherHast(node: Nodes): boolean {
  const data = 'data' in node ? node.data : undefined;
  return data !== undefined && ('hName' in data || 'hProperties' in data || 'hChildren' in data);
}

function element(state: State, tagName: string, node: Parents): Element | undefined {
  const children = all(state, node);
  return children && { type: 'element', tagName, properties: {}, children };
}

function list(state: State, node: List): Element | undefined {
  const results = all(state, node);
  if (!results) return undefined;
  const properties: Properties = {};
  if (typeof node.start === 'number' && node.start !== 1) properties.start = node.start;
  if (results.some((child) => child.type === 'element' && child.tagName === 'li' && Array.isArray(child.properties.className) && child.properties.className.includes('task-list-item'))) {
    properties.className = ['contains-task-list'];
  }
  return { type: 'element', tagName: node.ordered ? 'ol' : 'ul', properties, children: wrap(results, true) };
}

function listItem(state: State, node: ListItem, parent: Parents): Element | undefined {
  const results = all(state, node);
  if (!results) return undefined;
  const loose = parent.type === 'list' ? listLoose(parent) : listItemLoose(node);
  const properties: Properties = {};
  if (typeof node.checked === 'boolean') {
    const head = results[0];
    let paragraph: Element;
    if (head && head.type === 'element' && head.tagName === 'p') paragraph = head;
    else {
      paragraph = { type: 'element', tagName: 'p', properties: {}, children: [] };
      results.unshift(paragraph);
    }
    if (paragraph.children.length > 0) paragraph.children.unshift({ type: 'text', value: ' ' });
    paragraph.children.unshift({ type: 'element', tagName: 'input', properties: { type: 'checkbox', checked: node.checked, disabled: true }, children: [] });
    properties.className = ['task-list-item'];
  }
  const children: ElementContent[] = [];
  results.forEach((child, index) => {
    const paragraph = child.type === 'element' && child.tagName === 'p';
    if (loose || index !== 0 || !paragraph) children.push({ type: 'text', value: '\n' });
    if (paragraph && !loose) children.push(...child.children);
    else children.push(child);
  });
  const tail = results[results.length - 1];
  if (tail && (loose || tail.type !== 'element' || tail.tagName !== 'p')) children.push({ type: 'text', value: '\n' });
  return { type: 'element', tagName: 'li', properties, children };
}

function listLoose(node: List): boolean {
  return Boolean(node.spread) || node.children.some(listItemLoose);
}

function listItemLoose(node: ListItem): boolean {
  return node.spread === null || node.spread === undefined ? node.children.length > 1 : node.spread;
}

function table(state: State, node: Table): Element | undefined {
  const rows = all(state, node);
  if (!rows) return undefined;
  const firstRow = rows.shift();
  const content: ElementContent[] = [];
  if (firstRow) content.push({ type: 'element', tagName: 'thead', properties: {}, children: wrap([firstRow], true) });
  if (rows.length > 0) content.push({ type: 'element', tagName: 'tbody', properties: {}, children: wrap(rows, true) });
  return { type: 'element', tagName: 'table', properties: {}, children: wrap(content, true) };
}

function tableRow(state: State, node: TableRow, parent: Parents, rowIndex: number): Element | undefined {
  const tagName = rowIndex === 0 ? 'th' : 'td';
  const align = parent.type === 'table' ? parent.align : undefined;
  const length = align ? align.length : node.children.length;
  const cells: ElementContent[] = [];
  for (let cellIndex = 0; cellIndex < length; cellIndex++) {
    const cell = node.children[cellIndex];
    const value = align ? align[cellIndex] : undefined;
    // remark-rehype's `align`, as the pipeline's align step (align.ts) turns it into a class.
    const properties: Properties = value ? { className: [`align-${value}`] } : {};
    let children: ElementContent[] = [];
    if (cell) {
      if (asksForOtherHast(cell)) return undefined;
      const made = all(state, cell);
      if (!made) return undefined;
      children = made;
    }
    cells.push({ type: 'element', tagName, properties, children });
  }
  return { type: 'element', tagName: 'tr', properties: {}, children: wrap(cells, true) };
}

function footnoteReference(state: State, identifier: string): Element {
  const id = identifier.toUpperCase();
  const safeId = normalizeUri(id.toLowerCase());
  const index = state.footnoteOrder.indexOf(id);
  let counter: number;
  let reuse = state.footnoteCounts.get(id);
  if (reuse === undefined) {
    reuse = 0;
    state.footnoteOrder.push(id);
    counter = state.footnoteOrder.length;
  } else {
    counter = index + 1;
  }
  reuse += 1;
  state.footnoteCounts.set(id, reuse);
  const link: Element = {
    type: 'element',
    tagName: 'a',
    properties: { href: `#${PREFIX}fn-${safeId}`, id: `${PREFIX}fnref-${safeId}${reuse > 1 ? `-${reuse}` : ''}`, dataFootnoteRef: '', ariaDescribedBy: ['footnote-label'] },
    children: [{ type: 'text', value: String(counter) }],
  };
  return { type: 'element', tagName: 'sup', properties: {}, children: [link] };
}

/** mdast-util-to-hast's footnote section: undefined when there is none, null when a note can't be made here. */
function footer(state: State): Element | undefined | null {
  const contents: (ElementContent[] | undefined)[] = [];
  // Rendering a note may reference another, which joins the order: the loop runs to its new end.
  for (let index = 0; index < state.footnoteOrder.length; index++) {
    const definition = state.footnoteById.get(state.footnoteOrder[index]!);
    if (!definition) continue;
    const content = all(state, definition);
    if (!content) return null;
    contents[index] = content;
  }
  const items: ElementContent[] = [];
  for (let index = 0; index < state.footnoteOrder.length; index++) {
    const definition = state.footnoteById.get(state.footnoteOrder[index]!);
    if (!definition) continue;
    const content = contents[index]!;
    const id = String(definition.identifier).toUpperCase();
    const safeId = normalizeUri(id.toLowerCase());
    const backReferences: ElementContent[] = [];
    const counts = state.footnoteCounts.get(id) ?? 0;
    for (let re = 1; re <= counts; re++) {
      if (backReferences.length > 0) backReferences.push({ type: 'text', value: ' ' });
      const children: ElementContent[] = [{ type: 'text', value: '↩' }];
      if (re > 1) children.push({ type: 'element', tagName: 'sup', properties: {}, children: [{ type: 'text', value: String(re) }] });
      backReferences.push({
        type: 'element',
        tagName: 'a',
        properties: {
          href: `#${PREFIX}fnref-${safeId}${re > 1 ? `-${re}` : ''}`,
          dataFootnoteBackref: '',
          ariaLabel: `Back to reference ${index + 1}${re > 1 ? `-${re}` : ''}`,
          className: ['data-footnote-backref'],
        },
        children,
      });
    }
    const tail = content[content.length - 1];
    if (tail && tail.type === 'element' && tail.tagName === 'p') {
      const tailTail = tail.children[tail.children.length - 1];
      if (tailTail && tailTail.type === 'text') tailTail.value += ' ';
      else tail.children.push({ type: 'text', value: ' ' });
      tail.children.push(...backReferences);
    } else {
      content.push(...backReferences);
    }
    items.push({ type: 'element', tagName: 'li', properties: { id: `${PREFIX}fn-${safeId}` }, children: wrap(content, true) });
  }
  if (items.length === 0) return undefined;
  return {
    type: 'element',
    tagName: 'section',
    properties: { dataFootnotes: '', className: ['footnotes'] },
    children: [
      { type: 'element', tagName: 'h2', properties: { className: ['sr-only'], id: 'footnote-label' }, children: [{ type: 'text', value: 'Footnotes' }] },
      { type: 'text', value: '\n' },
      { type: 'element', tagName: 'ol', properties: {}, children: wrap(items, true) },
      { type: 'text', value: '\n' },
    ],
  };
}

/** mdast-util-to-hast's `wrap`: a line ending between nodes, and around them when `loose`. */
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

/** hast-util-sanitize's protocol check for a URL attribute under GitHub's schema. */
function safeUrl(url: string, protocols: string[]): boolean {
  const colon = url.indexOf(':');
  const questionMark = url.indexOf('?');
  const numberSign = url.indexOf('#');
  const slash = url.indexOf('/');
  if (colon < 0 || (slash > -1 && colon > slash) || (questionMark > -1 && colon > questionMark) || (numberSign > -1 && colon > numberSign)) return true;
  return protocols.some((protocol) => colon === protocol.length && url.slice(0, protocol.length) === protocol);
}

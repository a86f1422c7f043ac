import MarkdownIt from 'markdown-it';
import table from 'markdown-it/lib/rules_block/table.mjs';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type { Delimiter } from 'markdown-it/lib/rules_inline/state_inline.mjs';
import type Token from 'markdown-it/lib/token.mjs';
import type { Nodes, Parents, PhrasingContent, Root, RootContent, Text } from 'mdast';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';

/**
 * Markdown to an mdast tree: the same tree remark-parse with remark-gfm makes (the rest of the
 * pipeline is unified's, unchanged), from markdown-it's tokens.
 *
 * Why not remark-parse: micromark, its tokenizer, reads a character at a time through state
 * functions, and was 80–95% of the time a post took to render (0.42 ms for a 1 KB post of plain
 * paragraphs, 1.3 ms with a table, a list, code and a footnote; markdown-it parses those in 0.02 and
 * 0.09 ms, and the rest of the pipeline takes 0.02 and 0.4 ms). Both follow CommonMark; GFM's extras
 * are made to match here: tables and task lists, `~one~` and `~~two~~` tildes (markdown-it knows only
 * two), footnotes whose labels ignore case (as markdown-it-footnote's do not), and literal autolinks
 * by mdast-util-gfm-autolink-literal, the code remark-gfm itself uses. A test renders the
 * repository's Markdown, the CommonMark spec and a seeded random sample both ways and requires the
 * same HTML, but for the cases it lists.
 */
export function parseMarkdown(markdown: string): Root {
  const env: Env = {};
  const linkable: Parents[] = [];
  const root = toMdast(parser().parse(markdown, env), linkable);
  for (const parent of linkable) autolinks(parent);
  return root;
}

/**
 * GFM's literal autolinks (`www.example.com`, `https://…`, `a@b.co`), found in text nodes by the
 * transform remark-gfm uses. micromark also ends such a link before trailing `*`, `_` and `~` (with
 * the punctuation before them), which the transform leaves to micromark's tokenizer; that is done here.
 */
function autolinks(root: Parents): void {
  const written = new Set<Nodes>();
  eachParent(root, (parent) => {
    for (const child of parent.children) if (child.type === 'link') written.add(child);
  });
  autolinkLiterals(root);
  eachParent(root, (parent) => {
    const children = parent.children as PhrasingContent[];
    for (let index = 0; index < children.length; index++) {
      const link = children[index]!;
      if (link.type !== 'link' || written.has(link) || link.children.length !== 1 || link.children[0]!.type !== 'text') continue;
      const text = link.children[0];
      const kept = text.value.slice(0, emphasisTail(text.value));
      if (kept === text.value || kept === '') continue;
      const cut = text.value.slice(kept.length);
      text.value = kept;
      link.url = link.url.slice(0, link.url.length - cut.length);
      children.splice(index + 1, 0, { type: 'text', value: cut });
    }
  });
}

/**
 * Where the run of `!,.:?*_~` that ends a literal link starts, when the run holds an emphasis mark
 * (`*_~`): it closes emphasis around the link rather than belonging to the URL. Otherwise the length.
 * What `/[*_~][!,.:?*_~]*$|[!,.:?]+(?=[*_~])[!,.:?*_~]*$/` finds, from the end in one pass: that
 * pattern, tried from every character of a long run of `!` not at the end, was quadratic.
 */
export function emphasisTail(value: string): number {
  let start = value.length;
  let mark = false;
  while (start > 0 && '!,.:?*_~'.includes(value[start - 1]!)) {
    start -= 1;
    if ('*_~'.includes(value[start]!)) mark = true;
  }
  return mark ? start : value.length;
}

function eachParent(node: Nodes, visit: (parent: Parents) => void): void {
  if (!('children' in node)) return;
  visit(node);
  for (const child of node.children) eachParent(child, visit);
}

interface Env {
  /** Footnote labels defined in the document, normalized as link labels are. */
  footnotes?: Set<string>;
}

// The autolink transform's regular expressions find nothing in text without one of these. It walks
// every node it is given, so it is given only the blocks whose text (outside links) has one.
const AUTOLINK_HINT = /www\.|https?:\/\/|@/i;
const autolinkLiterals = gfmAutolinkLiteralFromMarkdown().transforms![0]! as (tree: Nodes) => void;

let instance: MarkdownIt | undefined;

function parser(): MarkdownIt {
  if (instance) return instance;
  const md = new MarkdownIt('default', { html: true, linkify: false, typographer: false });
  // Links are kept as written, like remark: percent-encoding is done once, when hast is printed, and
  // `javascript:` links are removed by the sanitizer (or kept, for a site that trusts its HTML).
  md.validateLink = () => true;
  md.normalizeLink = (url) => url;
  md.normalizeLinkText = (text) => text;
  md.block.ruler.at('table', tableAfterOtherBlocks, { alt: ['paragraph', 'reference'] });
  md.inline.ruler.at('strikethrough', tildes);
  md.inline.ruler2.at('strikethrough', pairTildes);
  md.block.ruler.before('reference', 'footnote_definition', footnoteDefinition, { alt: ['paragraph', 'reference', 'blockquote'] });
  md.inline.ruler.after('image', 'footnote_call', footnoteCall);
  instance = md;
  return md;
}

/**
 * markdown-it tries a table before anything else, so `- a | b` over `--|--` became a table whose
 * first cell is `- a`. In GFM a table grows out of what would be a paragraph: a list, quote,
 * heading, fence, rule or HTML block that starts on that line comes first (and holds the table).
 */
function tableAfterOtherBlocks(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (!table(state, startLine, endLine, true)) return false;
  for (const rule of state.md.block.ruler.getRules('paragraph')) {
    if (rule !== tableAfterOtherBlocks && rule(state, startLine, endLine, true)) return false;
  }
  return silent || table(state, startLine, endLine, false);
}

// GFM strikethrough takes a run of one or two tildes, closed by a run of the same length. The run's
// length is its delimiter's marker, so that markdown-it's pairing never matches `~` with `~~`.
const ONE_TILDE = 0x7e;
const TWO_TILDES = 0x7e7e;

function tildes(state: StateInline, silent: boolean): boolean {
  if (silent || state.src.charCodeAt(state.pos) !== ONE_TILDE) return false;
  const scanned = state.scanDelims(state.pos, true);
  const token = state.push('text', '', 0);
  token.content = '~'.repeat(scanned.length);
  // Three or more tildes are text (GFM), as they are in markdown-it's own rule.
  if (scanned.length <= 2) {
    state.delimiters.push({
      marker: scanned.length === 1 ? ONE_TILDE : TWO_TILDES,
      length: 0, // no "rule of 3": that is for emphasis
      token: state.tokens.length - 1,
      end: -1,
      open: scanned.can_open,
      close: scanned.can_close,
    });
  }
  state.pos += scanned.length;
  return true;
}

function pairTildes(state: StateInline): boolean {
  const pair = (delimiters: Delimiter[]) => {
    for (const start of delimiters) {
      if ((start.marker !== ONE_TILDE && start.marker !== TWO_TILDES) || start.end === -1) continue;
      const open = state.tokens[start.token]!;
      const close = state.tokens[delimiters[start.end]!.token]!;
      Object.assign(open, { type: 's_open', tag: 's', nesting: 1, markup: open.content, content: '' });
      Object.assign(close, { type: 's_close', tag: 's', nesting: -1, markup: close.content, content: '' });
    }
  };
  pair(state.delimiters);
  for (const meta of state.tokens_meta) if (meta?.delimiters) pair(meta.delimiters);
  return true;
}

// Footnotes, adapted from markdown-it-footnote 4 (MIT): its definitions and calls, without its
// rendering. Labels are compared as link labels are (case and inner whitespace ignored), as GFM does.

function footnoteDefinition(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const start = state.bMarks[startLine]! + state.tShift[startLine]!;
  const max = state.eMarks[startLine]!;
  if (start + 4 > max || state.src.charCodeAt(start) !== 0x5b || state.src.charCodeAt(start + 1) !== 0x5e) return false;
  let pos = start + 2;
  for (; pos < max; pos++) {
    const code = state.src.charCodeAt(pos);
    if (code === 0x20) return false;
    if (code === 0x5d) break;
  }
  if (pos === start + 2 || pos + 1 >= max || state.src.charCodeAt(++pos) !== 0x3a) return false;
  if (silent) return true;
  pos++;
  const label = state.src.slice(start + 2, pos - 2);
  const env = state.env as Env;
  (env.footnotes ??= new Set()).add(state.md.utils.normalizeReference(label));

  const open = new state.Token('footnote_definition_open', '', 1);
  open.meta = { label };
  open.level = state.level++;
  state.tokens.push(open);

  const oldBMark = state.bMarks[startLine]!;
  const oldTShift = state.tShift[startLine]!;
  const oldSCount = state.sCount[startLine]!;
  const oldParentType = state.parentType;
  const afterColon = pos;
  const initial = state.sCount[startLine]! + pos - (state.bMarks[startLine]! + state.tShift[startLine]!);
  let offset = initial;
  for (; pos < max; pos++) {
    const code = state.src.charCodeAt(pos);
    if (code === 0x09) offset += 4 - (offset % 4);
    else if (code === 0x20) offset++;
    else break;
  }
  state.tShift[startLine] = pos - afterColon;
  state.sCount[startLine] = offset - initial;
  state.bMarks[startLine] = afterColon;
  state.blkIndent += 4;
  state.parentType = 'footnote' as typeof state.parentType;
  if (state.sCount[startLine]! < state.blkIndent) state.sCount[startLine]! += state.blkIndent;
  state.md.block.tokenize(state, startLine, endLine);
  state.parentType = oldParentType;
  state.blkIndent -= 4;
  state.tShift[startLine] = oldTShift;
  state.sCount[startLine] = oldSCount;
  state.bMarks[startLine] = oldBMark;

  const close = new state.Token('footnote_definition_close', '', -1);
  close.level = --state.level;
  state.tokens.push(close);
  return true;
}

function footnoteCall(state: StateInline, silent: boolean): boolean {
  const start = state.pos;
  const max = state.posMax;
  const defined = (state.env as Env).footnotes;
  if (!defined || start + 3 > max || state.src.charCodeAt(start) !== 0x5b || state.src.charCodeAt(start + 1) !== 0x5e) return false;
  let pos = start + 2;
  for (; pos < max; pos++) {
    const code = state.src.charCodeAt(pos);
    if (code === 0x20 || code === 0x0a) return false;
    if (code === 0x5d) break;
  }
  if (pos === start + 2 || pos >= max) return false;
  const label = state.src.slice(start + 2, pos);
  if (!defined.has(state.md.utils.normalizeReference(label))) return false;
  if (!silent) state.push('footnote_call', '', 0).meta = { label };
  state.pos = pos + 1;
  return true;
}

type Container = Extract<Nodes, { children: unknown }>;

/** One pass over markdown-it's token stream, building the tree mdast-util-from-markdown would. */
function toMdast(tokens: Token[], linkable: Parents[]): Root {
  const root: Root = { type: 'root', children: [] };
  const stack: Container[] = [root];
  const add = <T extends RootContent>(node: T): T => {
    (stack[stack.length - 1]!.children as RootContent[]).push(node);
    return node;
  };
  const open = (node: Container & RootContent) => stack.push(add(node));

  for (const token of tokens) {
    switch (token.type) {
      case 'paragraph_open': {
        // markdown-it hides the paragraphs of tight lists; mdast marks the list instead.
        const item = stack[stack.length - 1]!;
        if (item.type === 'listItem' && !token.hidden) (stack[stack.length - 2] as { spread: boolean }).spread = true;
        open({ type: 'paragraph', children: [] });
        break;
      }
      case 'heading_open':
        open({ type: 'heading', depth: Number(token.tag.slice(1)) as 1, children: [] });
        break;
      case 'blockquote_open':
        open({ type: 'blockquote', children: [] });
        break;
      case 'bullet_list_open':
        open({ type: 'list', ordered: false, start: null, spread: false, children: [] });
        break;
      case 'ordered_list_open':
        open({ type: 'list', ordered: true, start: Number(token.attrGet('start') ?? 1), spread: false, children: [] });
        break;
      case 'list_item_open':
        open({ type: 'listItem', spread: false, checked: null, children: [] });
        break;
      case 'table_open':
        open({ type: 'table', align: [], children: [] });
        break;
      case 'tr_open':
        open({ type: 'tableRow', children: [] });
        break;
      case 'th_open':
      case 'td_open': {
        const table = stack[stack.length - 2];
        if (token.type === 'th_open' && table?.type === 'table') {
          const style = token.attrGet('style');
          table.align!.push(style ? (style.slice('text-align:'.length) as 'left') : null);
        }
        open({ type: 'tableCell', children: [] });
        break;
      }
      case 'footnote_definition_open': {
        const label = (token.meta as { label: string }).label;
        open({ type: 'footnoteDefinition', identifier: label.toLowerCase(), label, children: [] });
        break;
      }
      case 'paragraph_close':
      case 'heading_close':
      case 'blockquote_close':
      case 'bullet_list_close':
      case 'ordered_list_close':
      case 'table_close':
      case 'tr_close':
      case 'th_close':
      case 'td_close':
      case 'footnote_definition_close':
        stack.pop();
        break;
      case 'list_item_close':
        taskListItem(stack.pop() as Extract<Nodes, { type: 'listItem' }>);
        break;
      case 'inline':
        phrasing(token.children ?? [], stack[stack.length - 1] as Parents, linkable);
        break;
      case 'fence': {
        const info = parser().utils.unescapeAll(token.info).trim();
        const space = info.search(/[\t\n\f\r ]/);
        add({
          type: 'code',
          lang: info === '' ? null : space === -1 ? info : info.slice(0, space),
          meta: space === -1 ? null : info.slice(space).trim() || null,
          value: dropFinalLineEnding(token.content),
        });
        break;
      }
      case 'code_block':
        add({ type: 'code', lang: null, meta: null, value: dropFinalLineEnding(token.content) });
        break;
      case 'html_block':
        add({ type: 'html', value: dropFinalLineEnding(token.content) });
        break;
      case 'hr':
        add({ type: 'thematicBreak' });
        break;
      // thead/tbody have no node of their own in mdast: the first row is the head.
    }
  }
  return root;
}

function dropFinalLineEnding(value: string): string {
  return value.endsWith('\n') ? value.slice(0, -1) : value;
}

/**
 * A GFM task list item starts its first paragraph with `[ ]` or `[x]` and a space or line ending,
 * with more after it (micromark-extension-gfm-task-list-item); the marker and one space go.
 */
function taskListItem(item: Extract<Nodes, { type: 'listItem' }>): void {
  const paragraph = item.children[0];
  if (paragraph?.type !== 'paragraph') return;
  const head = paragraph.children[0];
  if (head?.type !== 'text') return;
  const match = /^\[([\t\n xX])\]([\t\n ])/.exec(head.value);
  if (!match) return;
  // After spaces there must be something more on the line, or in the paragraph.
  if (match[2] !== '\n' && /^[\t ]*$/.test(head.value.slice(3)) && paragraph.children.length === 1) return;
  item.checked = match[1] === 'x' || match[1] === 'X';
  head.value = head.value.slice(4);
  if (head.value === '') paragraph.children.shift();
}

function phrasing(tokens: Token[], parent: Parents, linkable: Parents[]): void {
  let links = 0;
  let hinted = false;
  const stack: Parents[] = [parent];
  const add = (node: PhrasingContent) => {
    const siblings = stack[stack.length - 1]!.children as PhrasingContent[];
    siblings.push(node);
  };
  const text = (value: string) => {
    const siblings = stack[stack.length - 1]!.children as PhrasingContent[];
    // GFM ends a literal autolink at `<`: each `<` starts a text node of its own, where the autolink
    // pass (which reads one text node at a time) stops. Split text prints the same.
    const parts = value.includes('<') ? value.split(/(?=<)/) : [value];
    const last = siblings[siblings.length - 1];
    if (last?.type === 'text' && !parts[0]!.startsWith('<')) last.value += parts.shift()!;
    for (const part of parts) siblings.push({ type: 'text', value: part } satisfies Text);
  };
  const open = (node: Extract<PhrasingContent, { children: unknown }>) => {
    add(node);
    stack.push(node);
  };
  for (const token of tokens) {
    switch (token.type) {
      case 'text':
        if (!hinted && links === 0 && AUTOLINK_HINT.test(token.content)) hinted = true;
        text(token.content);
        break;
      case 'softbreak':
        text('\n');
        break;
      case 'hardbreak':
        add({ type: 'break' });
        break;
      case 'code_inline':
        add({ type: 'inlineCode', value: token.content });
        break;
      case 'html_inline':
        add({ type: 'html', value: token.content });
        break;
      case 'em_open':
        open({ type: 'emphasis', children: [] });
        break;
      case 'strong_open':
        open({ type: 'strong', children: [] });
        break;
      case 's_open':
        open({ type: 'delete', children: [] });
        break;
      case 'link_open':
        links++;
        open({ type: 'link', url: token.attrGet('href') ?? '', title: token.attrGet('title'), children: [] });
        break;
      case 'link_close':
        links--;
        stack.pop();
        break;
      case 'em_close':
      case 'strong_close':
      case 's_close':
        stack.pop();
        break;
      case 'image':
        add({ type: 'image', url: token.attrGet('src') ?? '', title: token.attrGet('title'), alt: plainText(token.children ?? []) });
        break;
      case 'footnote_call': {
        const label = (token.meta as { label: string }).label;
        add({ type: 'footnoteReference', identifier: label.toLowerCase(), label });
        break;
      }
    }
  }
  if (hinted) linkable.push(parent);
}

/** An image's alt text as mdast-util-to-string reads its label: text, code, HTML and nested alts. */
function plainText(tokens: Token[]): string {
  let out = '';
  for (const token of tokens) {
    if (token.type === 'text' || token.type === 'code_inline' || token.type === 'html_inline') out += token.content;
    else if (token.type === 'softbreak') out += '\n';
    else if (token.type === 'image') out += plainText(token.children ?? []);
  }
  return out;
}

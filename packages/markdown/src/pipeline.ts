import { createRequire } from 'node:module';
import type { Root } from 'hast';
import type RehypeHighlight from 'rehype-highlight';
import type RehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';
import { rehypeAlignClasses } from './align.js';
import { rehypeHeadingAnchors } from './headings.js';
import { rehypeLikeRaw } from './no-raw.js';
import { isHeading, isPre, onlyOn } from './only-on.js';

/**
 * GitHub's schema, minus DOM clobbering protection: remark-rehype already prefixes footnote ids with
 * `user-content-`, and prefixing them a second time here would break every footnote link.
 * Heading ids are added after sanitizing, so they stay as readers expect (`#install`, not
 * `#user-content-install`).
 */
const schema: SanitizeSchema = { ...defaultSchema, clobber: [] };

// Loaded on first use: parse5 (for raw HTML) and highlight.js with its languages take longer to load
// than hundreds of posts take to render, and most posts need neither.
const require = createRequire(import.meta.url);
const rehypeRaw = () => (require('rehype-raw') as { default: typeof RehypeRaw }).default;
const rehypeHighlight = () => onlyOn((require('rehype-highlight') as { default: typeof RehypeHighlight }).default, isPre);
const headingAnchors = onlyOn(rehypeHeadingAnchors, isHeading);

/** What the pipeline's last step does, for a tree made without it (see fast.ts). */
export const addHeadingAnchors: (tree: Root) => void = (() => {
  const transform = headingAnchors();
  return (tree: Root) => transform(tree, undefined as never);
})();

let highlighter: ((tree: Root, file: never) => void) | undefined;
// rehype-highlight reports a language it does not know as a message on the file: nobody reads those.
const QUIET_FILE = { message: () => undefined } as never;

/** The pipeline's highlighting step, for a tree made without it (see fast.ts). */
export function highlightCode(tree: Root): void {
  (highlighter ??= (rehypeHighlight() as (options: object) => (tree: Root, file: never) => void)({ detect: false }))(tree, QUIET_FILE);
}

/**
 * The order matters (and is checked by tests): raw HTML must be parsed before sanitizing, sanitizing
 * must run before highlighting (it would strip the `hljs-*` classes) and before slugs.
 */
function createProcessor(trustHtml: boolean, raw = true, code = true): Processor<undefined, import('mdast').Root, Root, undefined, undefined> {
  // No parser: `parseMarkdown` makes the mdast tree (see parse.ts for why it is not remark-parse).
  const parsed = unified().use(remarkRehype, { allowDangerousHtml: true });
  // rehype-raw re-parses the whole tree with parse5; without raw HTML in the source it has nothing
  // to do (tests prove the output is the same byte for byte), so `renderMarkdown` skips it then.
  const base = raw ? parsed.use(rehypeRaw()) : parsed.use(rehypeLikeRaw);
  const safe = (trustHtml ? base : base.use(rehypeSanitize, schema)).use(rehypeAlignClasses);
  // Highlighting only touches `<pre><code>`, which only code blocks (or raw HTML) make: without
  // them it has nothing to do, and is left out (tests compare both ways byte for byte).
  // Language detection guesses wrong often; only fenced blocks that name a language are highlighted.
  return (raw || code ? safe.use(rehypeHighlight(), { detect: false }) : safe)
    // The footnotes' heading is for screen readers only: it gets an id but no visible anchor.
    .use(headingAnchors)
    .freeze() as unknown as Processor<undefined, import('mdast').Root, Root, undefined, undefined>;
}

type MarkdownProcessor = ReturnType<typeof createProcessor>;

const processors = new Map<string, MarkdownProcessor>();

/**
 * A frozen processor, made once per setting: they are safe to reuse for every file. `raw` and `code`
 * say whether the tree may hold raw HTML and code blocks; the full pipeline when not given.
 */
export function getProcessor(trustHtml: boolean, raw = true, code = true): MarkdownProcessor {
  const key = `${trustHtml}|${raw}|${code}`;
  let processor = processors.get(key);
  if (!processor) {
    processor = createProcessor(trustHtml, raw, code);
    processors.set(key, processor);
  }
  return processor;
}

/** Whether a Markdown tree holds raw HTML and code blocks anywhere (blocks, lists, footnotes, tables). */
export function treeHolds(tree: import('mdast').Root): { raw: boolean; code: boolean } {
  const holds = { raw: false, code: false };
  const stack: import('mdast').Nodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'html') holds.raw = true;
    else if (node.type === 'code') holds.code = true;
    else if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return holds;
}

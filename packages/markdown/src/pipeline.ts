import type { Root } from 'hast';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeHighlight from 'rehype-highlight';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';
import { rehypeAlignClasses } from './align.js';
import { rehypeLikeRaw } from './no-raw.js';

/**
 * GitHub's schema, minus DOM clobbering protection: remark-rehype already prefixes footnote ids with
 * `user-content-`, and prefixing them a second time here would break every footnote link.
 * Heading ids are added after sanitizing, so they stay as readers expect (`#install`, not
 * `#user-content-install`).
 */
const schema: SanitizeSchema = { ...defaultSchema, clobber: [] };

/**
 * The order matters (and is checked by tests): raw HTML must be parsed before sanitizing, sanitizing
 * must run before highlighting (it would strip the `hljs-*` classes) and before slugs.
 */
function createProcessor(trustHtml: boolean, raw = true): Processor<import('mdast').Root, import('mdast').Root, Root, undefined, undefined> {
  const parsed = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true });
  // rehype-raw re-parses the whole tree with parse5; without raw HTML in the source it has nothing
  // to do (tests prove the output is the same byte for byte), so `renderMarkdown` skips it then.
  const base = raw ? parsed.use(rehypeRaw) : parsed.use(rehypeLikeRaw);
  const safe = trustHtml ? base : base.use(rehypeSanitize, schema);
  return safe
    .use(rehypeAlignClasses)
    // Language detection guesses wrong often; only fenced blocks that name a language are highlighted.
    .use(rehypeHighlight, { detect: false })
    .use(rehypeSlug)
    .use(rehypeAutolinkHeadings, {
      behavior: 'append',
      // The footnotes' heading is for screen readers only; a visible anchor there would be stray.
      test: (element) => !(Array.isArray(element.properties.className) && element.properties.className.includes('sr-only')),
      properties: { className: ['anchor'], ariaLabel: 'Link to this section' },
      content: { type: 'text', value: '#' },
    })
    .freeze() as unknown as Processor<import('mdast').Root, import('mdast').Root, Root, undefined, undefined>;
}

type MarkdownProcessor = ReturnType<typeof createProcessor>;

const processors = new Map<string, MarkdownProcessor>();

/** A frozen processor, made once per setting: they are safe to reuse for every file. */
export function getProcessor(trustHtml: boolean, raw = true): MarkdownProcessor {
  const key = `${trustHtml}|${raw}`;
  let processor = processors.get(key);
  if (!processor) {
    processor = createProcessor(trustHtml, raw);
    processors.set(key, processor);
  }
  return processor;
}

/** Whether a Markdown tree holds raw HTML anywhere (blocks, inline, footnotes, tables). */
export function hasRawHtml(tree: import('mdast').Root): boolean {
  const stack: import('mdast').Nodes[] = [tree];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.type === 'html') return true;
    if ('children' in node) for (const child of node.children) stack.push(child);
  }
  return false;
}

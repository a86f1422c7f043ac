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
function createProcessor(trustHtml: boolean): Processor<import('mdast').Root, import('mdast').Root, Root, undefined, undefined> {
  const base = unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkRehype, { allowDangerousHtml: true })
    .use(rehypeRaw);
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

const processors = new Map<boolean, ReturnType<typeof createProcessor>>();

/** A frozen processor, made once per setting: they are safe to reuse for every file. */
export function getProcessor(trustHtml: boolean): ReturnType<typeof createProcessor> {
  let processor = processors.get(trustHtml);
  if (!processor) {
    processor = createProcessor(trustHtml);
    processors.set(trustHtml, processor);
  }
  return processor;
}

import type { Root } from 'hast';
import { SignetError } from '@signet/config';
import { toString } from 'hast-util-to-string';
import { countWords, headingsOf, moreAt, type Heading } from './extras.js';
import { printPair } from './html.js';
import { parseMarkdown } from './parse.js';
import { plainParagraphs } from './plain.js';
import { simpleHast } from './fast.js';
import { addHeadingAnchors, getProcessor, highlightCode, treeHolds } from './pipeline.js';
import { retargetLinks } from './urls.js';

export interface RenderOptions {
  /** Keep raw HTML as written instead of sanitizing it. */
  trustHtml?: boolean;
  /** The page's absolute URL: when given, `feedHtml` has every link and image made absolute. */
  baseUrl?: string;
  /**
   * Link targets to replace, as written (`hello-world.md`) → the URL to link instead: a `#fragment`
   * or `?query` after the target is kept.
   */
  retarget?: Record<string, string>;
  /** The file the Markdown came from, named in errors. */
  source?: string;
}

export interface RenderedMarkdown {
  /** For the page itself: links stay as written, so the site works from any host (and in `signet dev`). */
  html: string;
  /** For feeds and the signed envelope: every URL absolute. Equal to `html` when no `baseUrl` was given. */
  feedHtml: string;
  /**
   * For other pages of the same site (listings): every relative URL made site-relative
   * (`/blog/posts/a/photo.jpg`). Only when it differs from `html`, which has no relative URL otherwise.
   */
  listingHtml?: string;
  /** Every relative link and image (`href`, `src`, `poster`), as written, when there are any (with `baseUrl`). */
  links?: string[];
  /** Words in the text (runs between spaces), for reading time. */
  words: number;
  /** The headings below the title that have ids (`<h2>`–`<h6>`), in order, when there are any. */
  headings?: Heading[];
  /** The HTML of the part before a line `<!--more-->`, when there is one: the post's summary. */
  summaryHtml?: string;
}

/** The HTML forms of a post, as the printer makes them. */
export type PrintedMarkdown = Pick<RenderedMarkdown, 'html' | 'feedHtml' | 'listingHtml' | 'links'>;

/** Markdown in, HTML out: the one place a post becomes HTML. Deterministic, synchronous. */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): RenderedMarkdown {
  try {
    return render(markdown, options);
  } catch (error) {
    // The tree steps (parse5 to hast, the sanitizer, the printer) recurse once per level: tens of
    // thousands of elements inside one another exhaust the stack. Say so, instead of a RangeError.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new SignetError('the Markdown nests too deeply to render: elements, quotes or emphasis thousands of levels inside one another', {
        file: options.source,
        hint: 'Close the elements you open (`<span>` … `</span>`), and nest a few dozen levels at most.',
      });
    }
    throw error;
  }
}

function render(markdown: string, options: RenderOptions): RenderedMarkdown {
  const rendered = renderBody(markdown, options);
  const more = moreAt(markdown);
  if (more !== -1) rendered.summaryHtml = renderBody(markdown.slice(0, more), { trustHtml: options.trustHtml }).html;
  return rendered;
}

function renderBody(markdown: string, options: RenderOptions): RenderedMarkdown {
  const plain = plainParagraphs(markdown);
  // No URL in it to make absolute: the page and the feed share the one string. Nothing but words
  // and punctuation: its words are the Markdown's.
  if (plain !== undefined) return { html: plain, feedHtml: plain, words: countWords(markdown) };
  const trustHtml = options.trustHtml ?? false;
  const mdast = parseMarkdown(markdown);
  const simple = simpleHast(mdast);
  if (simple) {
    if (simple.code) highlightCode(simple.tree);
    addHeadingAnchors(simple.tree);
    if (options.retarget) retargetLinks(simple.tree, options.retarget);
    return withExtras(printPair(simple.tree, options.baseUrl || undefined), simple.tree);
  }
  const { raw, code } = treeHolds(mdast);
  const tree = getProcessor(trustHtml, raw, code).runSync(mdast) as Root;
  if (options.retarget) retargetLinks(tree, options.retarget);
  return withExtras(printPair(tree, options.baseUrl || undefined), tree);
}

function withExtras(printed: PrintedMarkdown, tree: Root): RenderedMarkdown {
  const extras: Pick<RenderedMarkdown, 'words' | 'headings'> = { words: countWords(toString(tree)) };
  const headings = headingsOf(tree);
  if (headings) extras.headings = headings;
  // One Object.assign: V8 makes `{ ...printed, words }` and fields added to the copy after it many times slower.
  return Object.assign({}, printed, extras);
}

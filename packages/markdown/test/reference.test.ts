import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import rehypeAutolinkHeadings from 'rehype-autolink-headings';
import rehypeHighlight from 'rehype-highlight';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeSlug from 'rehype-slug';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { rehypeAlignClasses } from '../src/align.js';
import { selfAnchors } from '../src/headings.js';
import { absolutizeTree, renderMarkdown, type RenderedMarkdown } from '../src/index.js';
import { eachElement } from '../src/walk.js';
import { plainParagraphs } from '../src/plain.js';

const require = createRequire(import.meta.url);
const commonmark = require('commonmark-spec') as { tests: { markdown: string; html: string; number: number; section: string }[] };

// renderMarkdown parses with markdown-it (parse.ts), skips rehype-raw when a post has no raw HTML
// and highlighting when it has no code block, and runs the heading and highlighting plugins on those
// elements only. These tests compare it with the pipeline as unified's plugins make it (remark-parse
// with remark-gfm, each plugin on the whole tree), byte for byte, so none of that can change a page.

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const baseUrl = 'https://example.org/blog/posts/x/';

/** The pipeline as the plugins make it, every one of them on the whole tree: what the shortcuts must equal. */
function reference(trustHtml: boolean) {
  const raw = unified().use(remarkParse).use(remarkGfm).use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw);
  return (trustHtml ? raw : raw.use(rehypeSanitize, { ...defaultSchema, clobber: [] }))
    .use(rehypeAlignClasses)
    .use(rehypeHighlight, { detect: false })
    .use(rehypeSlug)
    .use(rehypeAutolinkHeadings, {
      behavior: 'append',
      test: (element) => !(Array.isArray(element.properties.className) && element.properties.className.includes('sr-only')),
      properties: { className: ['anchor'], ariaLabel: 'Link to this section' },
      content: { type: 'text', value: '#' },
    });
}

function alwaysRaw(markdown: string, trustHtml: boolean) {
  const processor = reference(trustHtml);
  // markdown-it reads CR and CRLF as LF (as @signet/content does before rendering anyway); remark
  // keeps them in text.
  const tree = processor.runSync(processor.parse(markdown.replace(/\r\n?/g, '\n'))) as Root;
  const html = toHtml(tree);
  // The anchors rehype-autolink-headings appended point at their own headings: not a post's links.
  eachElement(tree, (node) => {
    const last = /^h[1-6]$/.test(node.tagName) ? node.children.at(-1) : undefined;
    if (last?.type === 'element' && last.tagName === 'a' && Array.isArray(last.properties.className) && last.properties.className.includes('anchor')) selfAnchors.add(last);
  });
  const links: string[] = [];
  const site = structuredClone(tree);
  if (!absolutizeTree(tree, baseUrl, false, links)) return { html, feedHtml: html };
  absolutizeTree(site, baseUrl, true);
  return { html, feedHtml: toHtml(tree), listingHtml: toHtml(site), links: links.length > 0 ? links : undefined };
}

/** What the printer makes, without the words, headings and summary the pipeline has no counterpart of. */
function printed({ html, feedHtml, listingHtml, links }: RenderedMarkdown) {
  return listingHtml === undefined ? { html, feedHtml } : { html, feedHtml, listingHtml, links };
}

function expectSame(markdown: string) {
  for (const trustHtml of [false, true]) {
    expect(printed(renderMarkdown(markdown, { trustHtml, baseUrl })), markdown).toEqual(alwaysRaw(markdown, trustHtml));
  }
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

const TWO_LISTS = '1) a\n2) b\n\n7. c\n8. d';
const BLANK_IN_ITEM = '- a\n  - b\n\n  c\n- d';
const LISTS_WITH_BLANK_LINES = [TWO_LISTS, BLANK_IN_ITEM];

const SNIPPETS = [
  '# Title', '## Notes', '## Notes', '### Getting *started* `here`', 'Setext\n======',
  'Plain words, *emphasis*, **strong**, ~~gone~~ and `code`.', 'Tabs\tand trailing spaces  \nhard break',
  '> quoted\n> > nested', '- one\n- two\n  - nested\n- [x] done\n- [ ] todo', '1. first\n2. second\n\n   continued',
  '```js\nconst a = 1 < 2 && "x";\n```', '```\nno language & <tags>\n```', '```made-up\nx\n```', '    indented code',
  '| a | b | c |\n|---|:-:|--:|\n| 1 | 2 | 3 |\n| `x` | **y** | [z](/z) |', '| only |\n| --- |',
  'Claim[^a] and another[^b].\n\n[^a]: Source *one*.\n[^b]: Source two.\n\n    with code',
  '[relative](../other/) [root](/root) [anchor](#top) [abs](https://example.com/a?b=1&c=2) [mail](mailto:a@b.co)',
  '[bad](javascript:alert(1)) [data](data:text/html,x) ![img](pic.png "title") ![](</with space.png>)',
  'https://example.com/auto www.example.org a@b.co', '[ref][r]\n\n[r]: ./ref.html "Ref"',
  'Entities: &amp; &lt; &copy; &#169; &#x27; &nbsp; & < > " \'', 'Escapes: \\* \\_ \\` \\# \\<',
  'Unicode: café, 日本語, emoji 🎉, rtl עברית, zero\u200bwidth', 'NUL\u0000char and \u000cform feed',
  'CRLF line\r\nendings\r\n\r\nparagraph', '***', '---', 'Line with trailing backslash\\\nnext',
  '<div>raw block</div>', 'inline <span class="x">html</span> and <script>alert(1)</script>', '<!-- comment -->',
  '<details><summary>More</summary>\n\nInside *markdown*\n\n</details>', '<img src="a.png" srcset="a.png 1x, b.png 2x">',
  '<h2>Raw heading</h2>', '<h3 id="given">Has an id</h3>', '<H4>Upper case</H4>', '<pre><code class="language-js">let a = 1;</code></pre>',
  '<pre><pre><code class="language-css">a { b: c }</code></pre></pre>', '<div><h5>Deep <em>heading</em></h5><pre><code class="language-sh">ls</code></pre></div>',
  '# Title\n\n# Title\n\n## title', '```js\nlet x = `y`;\n```\n\n```unknown-lang\nz\n```', '<template><h2>Inside a template</h2></template>',
  // GFM, where markdown-it alone differs from it.
  '~one~ ~~two~~ ~~~three~~~ ~a~~ ~~b~ a~b~c ~ x ~ ~~ y ~~ **~x~** ~*y*~ (~z~)',
  'Call[^Note] and [^note] again[^NOTE].\n\n[^note]: The note.', 'Missing[^nope].', '[^a]: def first\n\nthen[^a]',
  'x[^1][^2]\n\n[^1]: one\n[^2]: two\n    more\n\n    para in note',
  '- [ ]\n- [x]\n- [ ] \n- [x] a\n- [X]\tb\n- [ ]  c\n- [x]\n  next line\n- [y] no\n- [ ]*em*\n- [ ] *em*\n- text [ ] mid', '1. [ ] ordered task\n2. [x] done',
  'www.example.com, https://example.com/path?q=1. (www.example.com) https://x.org/a_(b) foo@bar.baz. a.b-c_d@e.f_g x@y.z_',
  'https://example.com/&amp; http://[::1]/ www.commonmark.org/he<lp www.x.com/a_b_c_ www.x.com/d_. _www.x.com_ *https://y.org* ~www.x.com~',
  '[www.x.com](http://z) `https://code.org` <https://a.b> <a@b.c>', '| a \\| b | `c \\| d` |\n| --- | --- |\n| 1 | 2 | 3 |\n| 4 |',
  'a | b\n--|--\n1 | 2', '| x |\n|:-:|\n', 'para\n| a | b |\n| - | - |\n| 1 | 2 |', '|a|b|\n|-|-|\n|*x*|[l](u)|',
  '*a **b** c* **a *b* c** ***x*** _a_b_ __c__d__ *foo*bar', '[a *b*](u "t") [c](<u v> \'t\') [d](u (t))', '![a ![b](c) `d` <b>e</b>](f)',
  '[l]\n\n[L]: /url "Title"', '`` a ` b `` ` `` `', TWO_LISTS, '- a\n\n- b\n- c', BLANK_IN_ITEM,
  '- ```\n  code\n  ```\n- b', 'Title\nline two\n---', '~~~ py  x y\nz\n~~~', '```a\\_b\nq\n```',
  // Made without the plugins (fast.ts): links the sanitizer keeps or empties, breaks, spaces at line ends.
  '[bad](javascript:alert(1)) [data](data:text/html,x) [vb](VBSCRIPT:x) [ok](HTTPS://x.org) [q](a?b:c) [h](#x:y) [p](a/b:c) [t](u "t:i")',
  'hard  \n   *break* with spaces\\\n\t `code`  \n  [link](u)', 'a  \n\n  b \t\nc\t \n> d  \n>   e',
  '![x](javascript:alert(1)) ![y](data:image/png;base64,AA) ![z](HTTP://a.b/c.png "t") ![](rel.png)', '![w](mailto:a@b.c) ![v](irc://x) and [l](mailto:a@b.c)',
];

/** mulberry32, so the sample is the same on every run. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('markdown-it parsing, and skipping rehype-raw and highlighting where a post has nothing for them', () => {
  it('renders every Markdown file in the repository (content, examples, fixtures) as the full pipeline does', () => {
    const files = ['content', 'examples', 'test', 'docs'].flatMap((dir) => markdownFiles(path.join(repo, dir)));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expectSame(readFileSync(file, 'utf8'));
  }, 60_000);

  it('renders each construct on its own, and nested in lists and quotes, as the full pipeline does', () => {
    for (const snippet of SNIPPETS) {
      expectSame(snippet);
      expectSame(`- ${snippet.replaceAll('\n', '\n  ')}`);
      // micromark misreads blank lines inside a quote when it decides whether a list is loose: see below.
      if (!LISTS_WITH_BLANK_LINES.includes(snippet)) expectSame(`> ${snippet.replaceAll('\n', '\n> ')}`);
    }
  }, 60_000);

  it('renders 400 seeded random mixes of constructs as the full pipeline does', () => {
    const next = random(8);
    let withoutHtml = 0;
    let withoutCode = 0;
    for (let i = 0; i < 400; i++) {
      const parts = Array.from({ length: 2 + Math.floor(next() * 8) }, () => SNIPPETS[Math.floor(next() * SNIPPETS.length)]!);
      const single = next() >= 0.8;
      // An HTML line right after a paragraph continues it (CommonMark's lazy continuation, as
      // markdown-it reads it), where micromark ends the list around that paragraph: see below.
      const markdown = parts.reduce((all, part) => `${all}${single && !part.startsWith('<') ? '\n' : '\n\n'}${part}`);
      if (!markdown.includes('<')) withoutHtml++;
      if (!markdown.includes('<') && !markdown.includes('```') && !markdown.includes('    ')) withoutCode++;
      expectSame(markdown);
    }
    // The sample must exercise the shortcuts, not only the full pipeline.
    expect(withoutHtml).toBeGreaterThan(40);
    expect(withoutCode).toBeGreaterThan(20);
  }, 60_000);
});

describe('bodies of plain paragraphs', () => {
  // Words that keep a line plain, and near misses that Markdown or GFM give a meaning to.
  const PLAIN = ['Lorem', 'ipsum', 'x1', 'a-b', '"q"', "it's", '(p)', 'e.g.', '50%', 'a+b=c', 'and/or', '$5', 'Yes!', 'Why?', 'semi;', 'comma,', 'Z'];
  const NEAR = ['a:b', 'http://x.org', 'a@b.co', 'www.x.org', 'WWW.x.org', '*em*', '_u_', '~s~', '`c`', '[l]', '[l](u)', 'a\\', 'a|b', '#h', '&amp;', '<b>', 'café', 'tab\tx', '&'];
  // Line starts and ends that open a block or make a break.
  const STARTS = ['1. ', '2) ', '- ', '+ ', '* ', '> ', '# ', '    ', '  ', '\t', '=', '---', '| ', '```', '<div>', '[^1]: ', '9'];
  const ENDS = ['  ', ' ', '\\', '\t', '\r'];

  it('are made into HTML directly, as the full pipeline renders them; a line with anything else is parsed', () => {
    const next = random(13);
    const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
    let direct = 0;
    let parsed = 0;
    for (let i = 0; i < 600; i++) {
      const paragraphs = Array.from({ length: 1 + Math.floor(next() * 4) }, () => Array.from({ length: 1 + Math.floor(next() * 3) }, () => {
        let line = Array.from({ length: 1 + Math.floor(next() * 8) }, () => (next() < 0.02 ? pick(NEAR) : pick(PLAIN))).join(next() < 0.1 ? '  ' : ' ');
        if (next() < 0.03) line = pick(STARTS) + line;
        if (next() < 0.03) line += pick(ENDS);
        return line;
      }).join('\n'));
      const markdown = (next() < 0.2 ? '\n' : '') + paragraphs.join(pick(['\n\n', '\n\n\n', '\n  \n', '\n\t\n'])) + (next() < 0.5 ? '\n' : '');
      if (plainParagraphs(markdown) === undefined) parsed++;
      else direct++;
      expectSame(markdown);
    }
    // Both ways must be exercised, each often.
    expect(direct).toBeGreaterThan(100);
    expect(parsed).toBeGreaterThan(100);
  }, 60_000);

  it('takes the direct way only for plain paragraphs', () => {
    expect(plainParagraphs('A b.\nC d.\n\nE f.\n')).toBe('<p>A b.\nC d.</p>\n<p>E f.</p>');
    for (const markdown of ['', '\n\n', 'A b:\n', 'www.example.org', 'A  \nb', 'A\n\n    b', 'A\r\nB', '1. a', 'A\n===']) {
      expect(plainParagraphs(markdown), JSON.stringify(markdown)).toBeUndefined();
    }
  });
});

describe('markdown-it parsing against remark-parse', () => {
  it('renders every example of the CommonMark spec (0.31.2) as remark-parse does, but three', () => {
    const differ = commonmark.tests.filter((example) => {
      const ours = printed(renderMarkdown(example.markdown, { trustHtml: true, baseUrl }));
      return JSON.stringify(ours) !== JSON.stringify(alwaysRaw(example.markdown, true));
    });
    // In all three markdown-it gives the spec's own HTML: a fenced block's leading blank line kept
    // (127, 129), the line ending that ends an unclosed <style> block at the end of input (173).
    expect(differ.map((example) => example.number)).toEqual([127, 129, 173]);
    for (const example of differ.filter((e) => e.number !== 173)) {
      expect(renderMarkdown(example.markdown, { trustHtml: true }).html + '\n').toBe(example.html);
    }
  }, 60_000);

  it('differs where micromark departs from GFM and CommonMark, and says how', () => {
    // GFM's extended autolinks include the whole `mailto:` and `xmpp:` address (github.com does the same).
    expect(renderMarkdown('mailto:foo@bar.baz xmpp:foo@bar.baz/txt').html).toBe(
      '<p><a href="mailto:foo@bar.baz">mailto:foo@bar.baz</a> <a href="xmpp:foo@bar.baz/txt">xmpp:foo@bar.baz/txt</a></p>',
    );
    // An HTML line after a list item's paragraph is a lazy continuation line of that paragraph.
    expect(renderMarkdown('1. a\n\n   b\n<img src="x.png">', { trustHtml: true }).html).toBe(
      '<ol>\n<li>\n<p>a</p>\n<p>b\n<img src="x.png"></p>\n</li>\n</ol>',
    );
    // Inside a quote a list is loose or tight as it is outside one (remark-parse reads both of these
    // that way outside a quote): a blank line that ends a list leaves it tight, one between two
    // blocks of an item makes it loose.
    for (const list of LISTS_WITH_BLANK_LINES) {
      expect(renderMarkdown(`> ${list.replaceAll('\n', '\n> ')}`).html).toBe(`<blockquote>\n${renderMarkdown(list).html}\n</blockquote>`);
    }
    // Left as it is: emphasis inside a literal URL is read before the URL (micromark reads the URL first).
    expect(renderMarkdown('https://a.b/c*d*e').html).toBe('<p><a href="https://a.b/c">https://a.b/c</a><em>d</em>e</p>');
  });
});

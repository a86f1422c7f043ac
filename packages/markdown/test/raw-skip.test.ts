import { readdirSync, readFileSync } from 'node:fs';
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
import { absolutizeTree, renderMarkdown } from '../src/index.js';

// renderMarkdown skips rehype-raw when a post has no raw HTML and highlighting when it has no code
// block, and runs the heading and highlighting plugins on those elements only. These tests compare it
// with the pipeline as the plugins make it (each on the whole tree), byte for byte, so the shortcuts
// can never change a page.

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
  const tree = processor.runSync(processor.parse(markdown)) as Root;
  const html = toHtml(tree);
  absolutizeTree(tree, baseUrl);
  return { html, feedHtml: toHtml(tree) };
}

function expectSame(markdown: string) {
  for (const trustHtml of [false, true]) {
    expect(renderMarkdown(markdown, { trustHtml, baseUrl }), markdown).toEqual(alwaysRaw(markdown, trustHtml));
  }
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md') && !entry.parentPath.includes('node_modules'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

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

describe('skipping rehype-raw without raw HTML, and highlighting without code blocks', () => {
  it('renders every Markdown file in the repository (content, examples, fixtures) as the full pipeline does', () => {
    const files = ['content', 'examples', 'test', 'docs'].flatMap((dir) => markdownFiles(path.join(repo, dir)));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) expectSame(readFileSync(file, 'utf8'));
  }, 60_000);

  it('renders each construct on its own, and nested in lists and quotes, as the full pipeline does', () => {
    for (const snippet of SNIPPETS) {
      expectSame(snippet);
      expectSame(`- ${snippet.replaceAll('\n', '\n  ')}`);
      expectSame(`> ${snippet.replaceAll('\n', '\n> ')}`);
    }
  }, 60_000);

  it('renders 400 seeded random mixes of constructs as the full pipeline does', () => {
    const next = random(8);
    let withoutHtml = 0;
    let withoutCode = 0;
    for (let i = 0; i < 400; i++) {
      const parts = Array.from({ length: 2 + Math.floor(next() * 8) }, () => SNIPPETS[Math.floor(next() * SNIPPETS.length)]!);
      const markdown = parts.join(next() < 0.8 ? '\n\n' : '\n');
      if (!markdown.includes('<')) withoutHtml++;
      if (!markdown.includes('<') && !markdown.includes('```') && !markdown.includes('    ')) withoutCode++;
      expectSame(markdown);
    }
    // The sample must exercise the shortcuts, not only the full pipeline.
    expect(withoutHtml).toBeGreaterThan(40);
    expect(withoutCode).toBeGreaterThan(20);
  }, 60_000);
});

import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../src/index.js';

const html = (markdown: string, trustHtml = false) => renderMarkdown(markdown, { trustHtml }).html;

describe('CommonMark and GFM', () => {
  it('renders CommonMark', () => {
    expect(html('Some *emphasis*, **strong** and `code`.\n\n> quoted\n')).toBe(
      '<p>Some <em>emphasis</em>, <strong>strong</strong> and <code>code</code>.</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>',
    );
  });

  it('renders tables, with alignment as a class (HTML5 has no `align`)', () => {
    expect(html('| a | b | c |\n|---|:-:|--:|\n| 1 | 2 | 3 |\n')).toBe(
      '<table>\n<thead>\n<tr>\n<th>a</th>\n<th class="align-center">b</th>\n<th class="align-right">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td class="align-center">2</td>\n<td class="align-right">3</td>\n</tr>\n</tbody>\n</table>',
    );
  });

  it('keeps emphasis marks after a literal link out of it, in one pass however long the run', () => {
    expect(html('*www.x.com!*\n')).toBe('<p><em><a href="http://www.x.com">www.x.com</a>!</em></p>');
    const run = '!'.repeat(100_000);
    // A pattern tried from every `!` of the run (`/[!,.:?]+(?=[*_~])…$/`) took minutes here.
    expect(html(`www.x.com/${run}x\n`)).toBe(`<p><a href="http://www.x.com/${run}x">www.x.com/${run}x</a></p>`);
  });

  it('renders strikethrough, task lists and autolinks', () => {
    expect(html('~~gone~~\n')).toBe('<p><del>gone</del></p>');
    expect(html('- [x] done\n- [ ] todo\n')).toBe(
      '<ul class="contains-task-list">\n<li class="task-list-item"><input type="checkbox" checked disabled> done</li>\n<li class="task-list-item"><input type="checkbox" disabled> todo</li>\n</ul>',
    );
    expect(html('See https://example.com/x and www.example.org and a@b.co\n')).toBe(
      '<p>See <a href="https://example.com/x">https://example.com/x</a> and <a href="http://www.example.org">www.example.org</a> and <a href="mailto:a@b.co">a@b.co</a></p>',
    );
  });

  it('renders footnotes whose links point at ids that exist', () => {
    const out = html('Claim[^note].\n\n[^note]: Source.\n');
    const ids = new Set([...out.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]));
    const targets = [...out.matchAll(/(?:href="#|aria-describedby=")([^"]+)"/g)].map((m) => m[1]);
    expect(out).toContain('<a href="#user-content-fn-note" id="user-content-fnref-note" data-footnote-ref="" aria-describedby="footnote-label">1</a>');
    expect(out).toContain('<li id="user-content-fn-note">');
    expect(out).toContain('href="#user-content-fnref-note"');
    // The screen-reader-only heading gets no visible anchor.
    expect(out).toContain('<h2 class="sr-only" id="footnote-label">Footnotes</h2>');
    expect(targets).toHaveLength(3);
    for (const target of targets) expect(ids.has(target)).toBe(true);
  });
});

describe('headings', () => {
  it('get ids and an anchor link to themselves', () => {
    expect(html('## Getting started\n')).toBe(
      '<h2 id="getting-started">Getting started<a class="anchor" aria-label="Link to this section" href="#getting-started">#</a></h2>',
    );
  });

  it('repeated headings get distinct ids, and each document starts afresh', () => {
    const doc = '# Notes\n\n# Notes\n';
    const first = html(doc);
    expect(first).toContain('id="notes"');
    expect(first).toContain('id="notes-1"');
    expect(html(doc)).toBe(first);
  });

  it('their own anchors are not among the links the site checks; a link written to a heading is', () => {
    const base = 'https://example.org/posts/x/';
    expect(renderMarkdown('## Getting started\n\nText.\n', { baseUrl: base }).links).toBeUndefined();
    expect(renderMarkdown('## Getting started\n\n<b>raw</b>\n', { baseUrl: base }).links).toBeUndefined();
    expect(renderMarkdown('## Getting started\n\nSee [above](#getting-started).\n', { baseUrl: base }).links).toEqual(['#getting-started']);
  });
});

describe('code highlighting', () => {
  it('highlights a fenced block that names a language', () => {
    expect(html('```js\nconst x = 1;\n```\n')).toBe(
      '<pre><code class="hljs language-js"><span class="hljs-keyword">const</span> x = <span class="hljs-number">1</span>;\n</code></pre>',
    );
  });

  it('leaves a block without a language alone (no guessing)', () => {
    expect(html('```\nconst x = 1;\n```\n')).toBe('<pre><code>const x = 1;\n</code></pre>');
    expect(html('    indented code\n')).toBe('<pre><code>indented code\n</code></pre>');
  });

  it('keeps the highlight classes when raw HTML is sanitized', () => {
    expect(html('<b>raw</b>\n\n```css\na { color: red }\n```\n')).toContain('class="hljs-selector-tag"');
  });
});

describe('raw HTML', () => {
  const dangerous = [
    '<script>alert(1)</script>',
    '<a href="javascript:alert(1)" onclick="steal()">link</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<img src="x.png" onerror="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<div style="position:fixed" onmouseover="x()">box</div>',
    '[md link](javascript:alert(1))',
  ].join('\n\n');

  it('is sanitized by default', () => {
    const out = html(dangerous);
    expect(out).not.toMatch(/<script|<iframe|javascript:|onclick|onerror|onmouseover|style=/i);
    expect(out).toContain('<a>link</a>');
    expect(out).toContain('<img src="x.png">');
    expect(out).toContain('<div>box</div>');
    expect(out).toContain('<a>md link</a>');
  });

  it('keeps safe HTML', () => {
    expect(html('<details><summary>More</summary>\n\nHidden *text*.\n\n</details>\n')).toBe(
      '<details><summary>More</summary>\n<p>Hidden <em>text</em>.</p>\n</details>',
    );
    expect(html('H<sub>2</sub>O and <kbd>Ctrl</kbd>\n')).toBe('<p>H<sub>2</sub>O and <kbd>Ctrl</kbd></p>');
  });

  it('is kept as written with trustHtml', () => {
    const out = html('<script>alert(1)</script>\n\n<div onclick="go()" style="color:red">box</div>\n', true);
    expect(out).toBe('<script>alert(1)</script>\n<div onclick="go()" style="color:red">box</div>');
  });
});

describe('feedHtml', () => {
  const base = 'https://example.com/posts/hello/';
  const source = '[up](../other/) [root](/about/) [here](#part) ![photo](photo.jpg)\n[abs](https://other.example/x?a=1) [mail](mailto:a@b.co) [proto](//cdn.example/x.js)\n';

  it('makes relative links and images absolute, in feedHtml only', () => {
    const out = renderMarkdown(source, { baseUrl: base });
    expect(out.html).toContain('<a href="../other/">up</a>');
    expect(out.html).toContain('<img src="photo.jpg" alt="photo">');
    expect(out.feedHtml).toContain('<a href="https://example.com/posts/other/">up</a>');
    expect(out.feedHtml).toContain('<a href="https://example.com/about/">root</a>');
    expect(out.feedHtml).toContain('<a href="https://example.com/posts/hello/#part">here</a>');
    expect(out.feedHtml).toContain('<img src="https://example.com/posts/hello/photo.jpg" alt="photo">');
    expect(out.feedHtml).toContain('<a href="https://cdn.example/x.js">proto</a>');
  });

  it('leaves absolute URLs byte for byte', () => {
    const out = renderMarkdown(source, { baseUrl: base });
    expect(out.feedHtml).toContain('<a href="https://other.example/x?a=1">abs</a>');
    expect(out.feedHtml).toContain('<a href="mailto:a@b.co">mail</a>');
  });

  it('equals html without a baseUrl', () => {
    const out = renderMarkdown(source);
    expect(out.feedHtml).toBe(out.html);
    expect(out.html).toContain('href="../other/"');
  });

  it('absolutizes media and srcset in trusted HTML', () => {
    const out = renderMarkdown('<img srcset="a.jpg 1x, /b.jpg 2x,https://cdn.example/c.jpg 3x" src="a.jpg">\n\n<video src="v.mp4" poster="p.jpg"></video>\n', { baseUrl: base, trustHtml: true });
    expect(out.html).toContain('srcset="a.jpg 1x, /b.jpg 2x,https://cdn.example/c.jpg 3x"');
    expect(out.feedHtml).toContain('srcset="https://example.com/posts/hello/a.jpg 1x, https://example.com/b.jpg 2x, https://cdn.example/c.jpg 3x"');
    expect(out.feedHtml).toContain('src="https://example.com/posts/hello/v.mp4" poster="https://example.com/posts/hello/p.jpg"');
  });

  it('reads srcset as the HTML spec does: a comma inside a URL stays, a trailing one separates', () => {
    const out = renderMarkdown('<img srcset="x,1.jpg 1x,y.jpg, z.jpg 480w" src="x.jpg">\n', { baseUrl: base, trustHtml: true });
    expect(out.feedHtml).toContain('srcset="https://example.com/posts/hello/x,1.jpg 1x, https://example.com/posts/hello/y.jpg, https://example.com/posts/hello/z.jpg 480w"');
  });
});

describe('determinism', () => {
  it('the same input gives the same output, whatever was rendered in between', () => {
    const doc = '# Title\n\nText[^1] with `code`.\n\n```ts\nlet a: number = 1\n```\n\n[^1]: Note.\n';
    const first = renderMarkdown(doc, { baseUrl: 'https://example.com/a/' });
    renderMarkdown('# Title\n\n# Other\n\n[^1]\n\n[^1]: x\n');
    renderMarkdown('# Title\n', { trustHtml: true });
    expect(renderMarkdown(doc, { baseUrl: 'https://example.com/a/' })).toEqual(first);
  });
});

describe('what layouts show beside a post', () => {
  it('counts the words of the text, the same for plain paragraphs and parsed Markdown', () => {
    expect(renderMarkdown('One two three.\n\nFour five.\n').words).toBe(5);
    // Parsed (emphasis, a link): markup and URLs are not words.
    expect(renderMarkdown('One *two* [three](https://example.com/a/long/path).\n\nFour five.\n').words).toBe(5);
    expect(renderMarkdown('').words).toBe(0);
  });

  it('lists the headings below the title that have ids, without their anchor links', () => {
    const out = renderMarkdown('# Title\n\n## First part\n\nText.\n\n### A *detail*\n\n## First part\n');
    expect(out.headings).toEqual([
      { depth: 2, id: 'first-part', text: 'First part' },
      { depth: 3, id: 'a-detail', text: 'A detail' },
      { depth: 2, id: 'first-part-1', text: 'First part' },
    ]);
    expect(renderMarkdown('Just text.\n').headings).toBeUndefined();
    // The footnotes' screen-reader heading is not the document's.
    expect(renderMarkdown('Text.[^1]\n\n[^1]: Note.\n').headings).toBeUndefined();
  });

  it('renders the part before a `<!--more-->` line as the summary, and leaves the page as it was', () => {
    const source = 'The *first* part.\n\n<!--more-->\n\nThe rest.\n';
    const out = renderMarkdown(source);
    expect(out.summaryHtml).toBe('<p>The <em>first</em> part.</p>');
    expect(out.html).toBe(renderMarkdown(source, { trustHtml: false }).html);
    expect(out.html).toContain('The rest.');
    expect(renderMarkdown('Text with <!--more--> inside a line.\n').summaryHtml).toBeUndefined();
    expect(renderMarkdown('Text.\n').summaryHtml).toBeUndefined();
  });
});

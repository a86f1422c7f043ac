import type { ElementContent, Properties, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { printPair } from '../src/html.js';
import { absolutizeTree } from '../src/urls.js';

// printPair must print exactly what hast-util-to-html prints. The Markdown tests already compare
// every rendered post with it; these trees hold what Markdown rarely makes.

const element = (tagName: string, properties: Properties = {}, children: ElementContent[] = []): ElementContent => ({ type: 'element', tagName, properties, children });
const text = (value: string): ElementContent => ({ type: 'text', value });
const root = (...children: ElementContent[]): Root => ({ type: 'root', children });

describe('printPair', () => {
  it('prints elements, text and attributes byte for byte as hast-util-to-html does', () => {
    const trees: Root[] = [
      root(text('a < b & c > d "e" \'f\' `g` \0 &amp;')),
      root(element('p', { className: ['x', 'y'], id: 'top' }, [text('Hi'), element('br'), text('there')])),
      root(element('input', { type: 'checkbox', checked: true, disabled: true })),
      root(element('input', { type: 'checkbox', checked: false, disabled: 'disabled', required: '' })),
      root(element('a', { href: 'a"b&c\'d`e\0f', download: true, hidden: 'until-found' }, [text('x')])),
      root(element('a', { download: '', title: 'download' }, [text('y')])),
      root(element('input', { accept: ['image/png', 'image/jpeg', ''], value: 3, tabIndex: Number.NaN, maxLength: 0 })),
      root(element('div', { dataFootnoteRef: '', dataX: true, ariaLabel: 'L', ariaHidden: 'true', dataWeird: 'x' })),
      root(element('td', { className: ['align-right'], colSpan: 2, style: 'a:b' }, [text('1')])),
      root(element('script', {}, [text('if (a < b && c) {}')]), element('style', {}, [text('a > b { c: "&" }')])),
      root(element('img', { src: 'a.png', alt: '' }), element('hr'), element('br', {}, [text('not empty')])),
      root(element('SPAN', { className: [] }, [text('upper')]), element('IMG', { src: 'x' })),
      root(element('code', { className: ['hljs', 'language-js'] }, [element('span', { className: ['hljs-keyword'] }, [text('let')]), text(' a = 1 < 2;\n')])),
    ];
    for (const tree of trees) expect(printPair(tree, undefined).html).toBe(toHtml(tree));
  });

  it('hands trees with comments, raw nodes, SVG or templates to hast-util-to-html', () => {
    const trees: Root[] = [
      { type: 'root', children: [{ type: 'comment', value: ' c -- > ' }, { type: 'text', value: '<' }] },
      { type: 'root', children: [{ type: 'doctype' }, element('p')] },
      root(element('svg', { viewBox: '0 0 1 1' }, [element('path', { d: 'M0 0' })])),
      root(element('p', {}, [{ type: 'raw', value: '<b>raw</b>' } as unknown as ElementContent])),
    ];
    for (const tree of trees) expect(printPair(tree, undefined).html).toBe(toHtml(tree));
  });

  it('prints the feed\'s HTML in the same pass as hast-util-to-html prints the tree after absolutizeTree', () => {
    const base = 'https://example.org/blog/posts/x/';
    const trees = (): Root[] => [
      root(element('a', { href: '../other/', title: 'T' }, [text('rel')]), element('a', { href: 'https://a.example/?q=1&r=2' }, [text('abs')])),
      root(element('img', { src: 'pic.png', srcSet: 'a.png 1x, b.png 2x', alt: '"q"' }), element('img', { src: 'x.png', srcSet: ['a.png 1x', 'b.png 2x'] })),
      root(element('video', { src: 'v.mp4', poster: 'p.jpg' }), element('source', { src: '/s.webm' }), element('iframe', { src: '#frag' })),
      root(element('p', {}, [text('no links at all')])),
      root(element('div', { href: 'not-a-link-here' }), element('constructor', { href: 'x' })),
    ];
    for (const [i, tree] of trees().entries()) {
      const reference = trees()[i]!;
      const html = toHtml(reference);
      const changed = absolutizeTree(reference, base);
      const pair = printPair(tree, base);
      expect(pair.html).toBe(html);
      expect(pair.feedHtml).toBe(toHtml(reference));
      // Nothing resolved: one string, not two equal ones.
      if (!changed) expect(pair.feedHtml).toBe(pair.html);
    }
  });
});

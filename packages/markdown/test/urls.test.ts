import type { Root } from 'hast';
import { expect, it } from 'vitest';
import { absolutizeTree } from '../src/index.js';

it('absolutizeTree resolves URL attributes of known elements and nothing else', () => {
  const tree: Root = {
    type: 'root',
    children: [
      { type: 'element', tagName: 'a', properties: { href: 'x/', title: 'y/' }, children: [] },
      { type: 'element', tagName: 'source', properties: { src: 'clip.webm' }, children: [] },
      { type: 'element', tagName: 'div', properties: { src: 'ignored' }, children: [] },
      { type: 'element', tagName: 'a', properties: { href: 'data:text/plain,hi' }, children: [] },
    ],
  };
  expect(absolutizeTree(tree, 'https://example.com/blog/post/')).toBe(true);
  expect(tree.children.map((node) => (node.type === 'element' ? node.properties : undefined))).toEqual([
    { href: 'https://example.com/blog/post/x/', title: 'y/' },
    { src: 'https://example.com/blog/post/clip.webm' },
    { src: 'ignored' },
    { href: 'data:text/plain,hi' },
  ]);
});

it('absolutizeTree says when it changed nothing, so the tree need not be printed again', () => {
  const element = (tagName: string, properties: Record<string, string>) => ({ type: 'element' as const, tagName, properties, children: [] });
  const absolute: Root = { type: 'root', children: [element('a', { href: 'https://example.com/x' }), element('img', { src: 'data:,x', srcSet: 'https://e.com/a.png 2x' })] };
  expect(absolutizeTree(absolute, 'https://example.com/blog/post/')).toBe(false);
  const srcset: Root = { type: 'root', children: [element('img', { srcSet: 'a.png 2x' })] };
  expect(absolutizeTree(srcset, 'https://example.com/blog/post/')).toBe(true);
});

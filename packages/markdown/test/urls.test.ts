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
  absolutizeTree(tree, 'https://example.com/blog/post/');
  expect(tree.children.map((node) => (node.type === 'element' ? node.properties : undefined))).toEqual([
    { href: 'https://example.com/blog/post/x/', title: 'y/' },
    { src: 'https://example.com/blog/post/clip.webm' },
    { src: 'ignored' },
    { href: 'data:text/plain,hi' },
  ]);
});

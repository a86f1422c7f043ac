import { expect, it } from 'vitest';
import { getProcessor } from '../src/index.js';

it('exports exactly this API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toEqual(['absolutizeTree', 'countWords', 'getProcessor', 'parseMarkdown', 'renderMarkdown']);
});

it('makes one frozen processor per setting', () => {
  expect(getProcessor(false)).toBe(getProcessor(false));
  expect(getProcessor(true)).not.toBe(getProcessor(false));
});

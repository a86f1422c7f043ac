import { expect, it } from 'vitest';

it('exports exactly this API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toEqual([
    'assetsOf', 'checkUniqueOutputs', 'comparePosts', 'fillPermalink', 'loadContent', 'outputPathOf',
    'parseDate', 'parseFrontMatter', 'parseTags', 'readEntry', 'safeUrlPath', 'tagIdentity', 'tagSlug', 'walkFiles',
  ]);
});

import { expect, test } from 'vitest';

test('the package exports exactly its public API', async () => {
  const mod = await import('../src/index.js');
  expect(Object.keys(mod).sort()).toEqual(['TwitterImportError', 'formatSummary', 'importTwitterArchive', 'renderProgressBar']);
});

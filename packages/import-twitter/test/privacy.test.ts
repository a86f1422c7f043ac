import { afterAll, expect, test } from 'vitest';
import { importTwitterArchive } from '../src/index.js';
import { FIXTURE, ID, cleanTemp, readTree, tempDir } from './helpers.js';

afterAll(cleanTemp);

test('circle tweets, deleted tweets and the account e-mail never reach any written file, whatever the flags', async () => {
  const into = await tempDir();
  const summary = await importTwitterArchive({ source: FIXTURE, into, includeReplies: true, includeRetweets: true });
  expect(summary.skipped.private).toBe(2);
  const tree = await readTree(into);
  expect(tree.size).toBeGreaterThan(10);
  for (const [name, bytes] of tree) {
    const text = `${name}\n${bytes.toString('latin1')}`;
    for (const secret of ['Pumpernickel', 'CIRCLE ONLY', 'Wombleton', 'DELETED', ID(901), ID(902), 'EjSecretCat', 'ada-private@example.invalid']) {
      expect(text, name).not.toContain(secret);
    }
  }
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { importTwitterArchive } from '../src/index.js';
import { FIXTURE, ID, cleanTemp, copyFixture, readTree, tempDir } from './helpers.js';

afterAll(cleanTemp);

test('importing the same archive again changes nothing and duplicates nothing', async () => {
  const into = await tempDir();
  await importTwitterArchive({ source: FIXTURE, into });
  const before = await readTree(into);
  const again = await importTwitterArchive({ source: FIXTURE, into });
  expect(again).toMatchObject({ new: 0, updated: 0, unchanged: 8, edited: 0 });
  expect(await readTree(into)).toEqual(before);
});

test('a note the writer edited is never overwritten, even when the archive changed', async () => {
  const archive = await copyFixture();
  const into = await tempDir();
  await importTwitterArchive({ source: archive, into });
  const edited = join(into, ID(101), 'index.md');
  const text = (await readFile(edited, 'utf8')).replace('Hello from my new home', 'Hello from my lovely new home');
  await writeFile(edited, text);

  const tweets = join(archive, 'data', 'tweets.js');
  await writeFile(tweets, (await readFile(tweets, 'utf8')).replaceAll('"favorite_count" : "12"', '"favorite_count" : "99"'));
  const summary = await importTwitterArchive({ source: archive, into });
  expect(summary).toMatchObject({ new: 0, updated: 0, unchanged: 7, edited: 1 });
  expect(await readFile(edited, 'utf8')).toBe(text);
});

test('a newer archive adds new tweets and refreshes untouched notes', async () => {
  const archive = await copyFixture();
  const into = await tempDir();
  await importTwitterArchive({ source: archive, into });
  const tweets = join(archive, 'data', 'tweets.js');
  const newer = (await readFile(tweets, 'utf8'))
    .replaceAll('"favorite_count" : "40"', '"favorite_count" : "41"')
    .replace(
      'window.YTD.tweets.part0 = [',
      `window.YTD.tweets.part0 = [ {"tweet": {"id_str": "${ID(2001)}", "created_at": "Sat Oct 03 09:00:00 +0000 2020", ` +
        '"full_text": "A brand new note", "favorite_count": "0", "retweet_count": "0", "entities": {}}},',
    );
  await writeFile(tweets, newer);
  const summary = await importTwitterArchive({ source: archive, into });
  expect(summary).toMatchObject({ new: 1, updated: 1, unchanged: 7, edited: 0 });
  expect(await readFile(join(into, ID(201), 'index.md'), 'utf8')).toContain('favorites: 41');
  expect(await readFile(join(into, ID(2001), 'index.md'), 'utf8')).toContain('A brand new note');
});

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { TwitterImportError, importTwitterArchive } from '../src/index.js';
import { FIXTURE, cleanTemp, listFiles, readTree, tempDir, zipFolder } from './helpers.js';

afterAll(cleanTemp);

test('a zip archive imports exactly like the extracted folder', async () => {
  const dir = await tempDir();
  await zipFolder(FIXTURE, join(dir, 'twitter.zip'));
  const fromZip = join(dir, 'zip-notes');
  const fromFolder = join(dir, 'folder-notes');
  const a = await importTwitterArchive({ source: join(dir, 'twitter.zip'), into: fromZip });
  const b = await importTwitterArchive({ source: FIXTURE, into: fromFolder });
  expect(a).toEqual(b);
  expect(await readTree(fromZip)).toEqual(await readTree(fromFolder));
});

test('a zip whose contents sit in one top folder is read too', async () => {
  const dir = await tempDir();
  await zipFolder(FIXTURE, join(dir, 'nested.zip'), 'twitter-2020-09-12-abc/');
  const summary = await importTwitterArchive({ source: join(dir, 'nested.zip'), into: join(dir, 'notes') });
  expect(summary.new).toBe(8);
});

test('a corrupt zip is refused with a clear message and nothing written', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'broken.zip'), 'PK\u0003\u0004 this is not really a zip file at all');
  const into = join(dir, 'notes');
  const run = importTwitterArchive({ source: join(dir, 'broken.zip'), into });
  await expect(run).rejects.toBeInstanceOf(TwitterImportError);
  await expect(run).rejects.toThrow(/broken\.zip is not a readable zip file .*Download the archive again/);
  expect(await listFiles(into)).toEqual([]);
});

test('damaged data inside a valid zip directory is refused and nothing is left behind', async () => {
  const dir = await tempDir();
  const zip = join(dir, 'damaged.zip');
  await zipFolder(FIXTURE, zip);
  const bytes = await readFile(zip);
  // Flip bytes inside the compressed JPEG (the first media entry) so its CRC no longer matches.
  const at = bytes.indexOf(Buffer.from('EjAdaBlue02.jpg')) + 'EjAdaBlue02.jpg'.length + 40;
  for (let i = at; i < at + 8; i++) bytes[i] = (bytes[i] ?? 0) ^ 0xff;
  await writeFile(zip, bytes);
  const into = join(dir, 'notes');
  await expect(importTwitterArchive({ source: zip, into })).rejects.toThrow(/damaged\.zip is not a readable zip file .*EjAdaBlue02\.jpg/);
  expect(await listFiles(into)).toEqual([]);
});

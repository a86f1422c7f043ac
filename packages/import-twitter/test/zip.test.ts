import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { TwitterImportError, importTwitterArchive } from '../src/index.js';
import { FIXTURE, cleanTemp, copyFixture, listFiles, readTree, tempDir, zeros, zipFolder } from './helpers.js';

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

test('a zip bomb is refused from its directory, before anything is inflated or written', async () => {
  const dir = await tempDir();
  const into = join(dir, 'notes');
  // A photo a tweet shows, made 64 MiB of zeros stored in 64 KiB: a thousand times smaller than it inflates.
  const media = 'data/tweets_media/1300000000000000502-EjAdaBlue02.jpg';
  const archive = await copyFixture();
  await rm(join(archive, media));
  const bomb = join(dir, 'bomb.zip');
  await zipFolder(archive, bomb, '', [zeros(media, 64 * 1024 ** 2)]);
  await expect(importTwitterArchive({ source: bomb, into })).rejects.toThrow(
    /bomb\.zip: data\/tweets_media\/1300000000000000502-EjAdaBlue02\.jpg would inflate from 0\.1 MiB to 64\.0 MiB \(\d{3,4} times\), more than a Twitter\/X archive holds: it looks like a zip bomb, and nothing was written/,
  );
  // A file that says it is 3 GiB is refused on what it says (yauzl would stop it at that size).
  const huge = join(dir, 'huge.zip');
  await zipFolder(FIXTURE, huge, '', [{ name: 'data/tweets_media/big.mp4', packed: Buffer.alloc(16), size: 3 * 1024 ** 3, crc: 0 }]);
  await expect(importTwitterArchive({ source: huge, into })).rejects.toThrow(/data\/tweets_media\/big\.mp4 would inflate to 3\.0 GiB, past the 2\.0 GiB a file may have/);
  // Many files, none large: together they inflate far past the zip's own size.
  const many = join(dir, 'many.zip');
  const one = zeros('x', 1024 ** 2);
  await zipFolder(FIXTURE, many, '', Array.from({ length: 300 }, (_, i) => ({ ...one, name: `data/tweets_media/${i}.jpg` })));
  await expect(importTwitterArchive({ source: many, into })).rejects.toThrow(/many\.zip: its files would inflate from \S+ MiB to 300\.\d MiB/);
  expect(await listFiles(into)).toEqual([]);
});

test('an archive of photos and text well within the limits imports', async () => {
  const dir = await tempDir();
  const zip = join(dir, 'ok.zip');
  // 2 MiB of text that deflates as JSON does, about ten times.
  const text = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `{"id":"${i * 7919}","n":${i % 97}}`).join(',\n'));
  await zipFolder(FIXTURE, zip, '', [{ name: 'data/like.js', data: text }]);
  expect((await importTwitterArchive({ source: zip, into: join(dir, 'notes') })).new).toBe(8);
});

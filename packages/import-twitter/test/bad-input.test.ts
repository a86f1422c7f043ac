import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { TwitterImportError, importTwitterArchive } from '../src/index.js';
import { ID, cleanTemp, copyFixture, listFiles, tempDir } from './helpers.js';

afterAll(cleanTemp);

async function refused(source: string, message: RegExp): Promise<void> {
  const into = join(await tempDir(), 'content', 'notes');
  const run = importTwitterArchive({ source, into });
  await expect(run).rejects.toBeInstanceOf(TwitterImportError);
  await expect(run).rejects.toThrow(message);
  expect(await listFiles(join(into, '..'))).toEqual([]);
}

test('a folder that is not an archive is refused', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'notes.txt'), 'hello');
  await refused(dir, /is not a Twitter archive: it has no data\/ folder/);
});

test('an archive without tweets.js or account.js is refused', async () => {
  const archive = await copyFixture();
  await rm(join(archive, 'data', 'tweets.js'));
  await refused(archive, /is not a Twitter archive: it has no data\/tweets\.js/);
  const other = await copyFixture();
  await rm(join(other, 'data', 'account.js'));
  await refused(other, /data\/account\.js is missing/);
});

test('a missing source is refused', async () => {
  await refused(join(await tempDir(), 'nowhere.zip'), /nowhere\.zip does not exist/);
});

test('a tweets.js that does not parse names the file, line and column', async () => {
  const archive = await copyFixture();
  const file = join(archive, 'data', 'tweets.js');
  const lines = (await readFile(file, 'utf8')).split('\n');
  const at = lines.findIndex((l) => l.includes('"favorite_count" : "8"'));
  lines[at] = '      "favorite_count" : 8 8,';
  await writeFile(file, lines.join('\n'));
  await refused(archive, new RegExp(`data/tweets\\.js:${at + 1}:\\d+: this element is not valid JSON`));
});

test('a tweets.js cut short is refused', async () => {
  const archive = await copyFixture();
  const file = join(archive, 'data', 'tweets.js');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.slice(0, Math.floor(text.length / 2)));
  await refused(archive, /data\/tweets\.js:\d+:\d+: the file ends inside an element/);
});

test('a tweets.js that is code rather than data is never run', async () => {
  const archive = await copyFixture();
  const marker = join(archive, 'ran');
  await writeFile(join(archive, 'data', 'tweets.js'), `window.YTD.tweets.part0 = require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`);
  await refused(archive, /data\/tweets\.js:1:\d+: expected `\[` after `=`/);
  expect(await listFiles(archive)).not.toContain('ran');
});

test('a missing media file is refused, naming it, and nothing is written', async () => {
  const archive = await copyFixture();
  await rm(join(archive, 'data', 'tweets_media', `${ID(502)}-EjAdaGreen3.png`));
  await refused(archive, new RegExp(`1 media file\\(s\\) .* missing .*data/tweets_media/${ID(502)}-EjAdaGreen3\\.png`));
});

test('with allowMissingMedia the import goes on and lists what was missing', async () => {
  const archive = await copyFixture();
  await rm(join(archive, 'data', 'tweets_media', `${ID(501)}-EjAdaSquare1.png`));
  const into = await tempDir();
  const summary = await importTwitterArchive({ source: archive, into, allowMissingMedia: true });
  expect(summary.missingMedia).toEqual([`data/tweets_media/${ID(501)}-EjAdaSquare1.png`]);
  expect(await listFiles(join(into, ID(501)))).toEqual(['index.md']);
  const text = await readFile(join(into, ID(501), 'index.md'), 'utf8');
  expect(text).toContain(`[twitter.com/ada\\_example/status/${ID(501)}/photo/1](https://twitter.com/ada_example/status/${ID(501)}/photo/1)`);
});

test('a failure leaves notes from an earlier import as they were', async () => {
  const archive = await copyFixture();
  const into = await tempDir();
  await importTwitterArchive({ source: archive, into });
  const before = await listFiles(into);
  await mkdir(join(archive, 'data'), { recursive: true });
  await writeFile(join(archive, 'data', 'tweets-part1.js'), 'window.YTD.tweets.part1 = [ {"tweet": {"id_str": "1"} ]');
  await expect(importTwitterArchive({ source: archive, into })).rejects.toThrow(/data\/tweets-part1\.js:1:\d+/);
  expect(await listFiles(into)).toEqual(before);
});

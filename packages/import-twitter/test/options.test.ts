import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { importTwitterArchive } from '../src/index.js';
import { FIXTURE, ID, cleanTemp, listFiles, tempDir } from './helpers.js';

afterAll(cleanTemp);

test('replies to others and retweets are imported when asked for', async () => {
  const into = await tempDir();
  const summary = await importTwitterArchive({ source: FIXTURE, into, includeReplies: true, includeRetweets: true });
  expect(summary.new).toBe(11);
  expect(summary.skipped).toEqual({ replies: 0, retweets: 0, private: 2, beforeSince: 0 });
  const reply = await readFile(join(into, ID(301), 'index.md'), 'utf8');
  expect(reply).toContain(`in_reply_to: "1299999999999999999"\n  in_reply_to_user: grace_sample\n`);
  // Your own reply to your reply continues that note.
  const chain = await readFile(join(into, ID(1001), 'index.md'), 'utf8');
  expect(chain).toContain(`thread:\n    - "${ID(1001)}"\n    - "${ID(1002)}"\n`);
  const retweet = await readFile(join(into, ID(401), 'index.md'), 'utf8');
  expect(retweet).toContain('retweet: true');
  expect(retweet).toContain('RT [@grace\\_sample](https://twitter.com/grace_sample): Archives are love letters');
});

test('--since leaves out tweets and threads begun before that moment', async () => {
  const into = await tempDir();
  const summary = await importTwitterArchive({ source: FIXTURE, into, since: new Date('2020-09-07T00:00:00Z') });
  expect(summary.skipped.beforeSince).toBe(6); // 101, the thread of three, 501, 502
  expect(await listFiles(into)).toEqual([`${ID(601)}/index.md`, `${ID(701)}/index.md`, `${ID(801)}/index.md`, `${ID(903)}/index.md`]);
  // The thread is not published, so the link to it stays on Twitter.
  const linking = await readFile(join(into, ID(801), 'index.md'), 'utf8');
  expect(linking).toContain(`(https://twitter.com/ada_example/status/${ID(202)})`);
});

test('progress goes from 0 to the number of notes', async () => {
  const calls: [number, number][] = [];
  await importTwitterArchive({ source: FIXTURE, into: await tempDir(), onProgress: (done, total) => calls.push([done, total]) });
  expect(calls[0]).toEqual([0, 8]);
  expect(calls[calls.length - 1]).toEqual([8, 8]);
});

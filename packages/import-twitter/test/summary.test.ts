import { expect, test } from 'vitest';
import { formatSummary, renderProgressBar } from '../src/index.js';

test('the progress bar fills in proportion and never overflows', () => {
  expect(renderProgressBar(0, 10, 10)).toBe('[----------]   0%  0/10');
  expect(renderProgressBar(5, 10, 10)).toBe('[#####-----]  50%  5/10');
  expect(renderProgressBar(10, 10, 10)).toBe('[##########] 100%  10/10');
  expect(renderProgressBar(12, 10, 4)).toBe('[####] 100%  12/10');
  expect(renderProgressBar(0, 0)).toHaveLength(30 + 2 + 5 + 5);
});

test('the summary says what was written, what was left alone and what was left out', () => {
  const text = formatSummary({
    new: 3, updated: 1, unchanged: 5, edited: 2,
    skipped: { replies: 1, retweets: 4, private: 2, beforeSince: 0 },
    missingMedia: ['data/tweets_media/1-a.jpg'],
    account: { username: 'ada_example', displayName: 'Ada Example' },
  });
  expect(text).toBe(
    [
      'Imported @ada_example (Ada Example):',
      '  3 new notes, 1 updated, 5 unchanged, 2 edited since the last import (left alone)',
      '  Left out: 1 reply to others, 4 retweets, 2 private tweets (Twitter Circle or deleted), 0 tweets before --since',
      '  Missing from the archive, linked to Twitter instead: 1 media file',
      '    data/tweets_media/1-a.jpg',
    ].join('\n'),
  );
});

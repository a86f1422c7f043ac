import { expect, test } from 'vitest';
import { TwitterImportError } from '../src/errors.js';
import { readYtdElements } from '../src/ytd.js';

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect(text: string, size = 3): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const element of readYtdElements(chunked(text, size), 'data/x.js')) out.push(element);
  return out;
}

const SAMPLE =
  'window.YTD.tweets.part0 = [ {\n  "tweet" : { "full_text" : "brackets ] } [ { and \\"quotes\\" and = signs 🎉" }\n}, ' +
  '{ "tweet" : { "n" : [1, {"a": "\\\\"}] } } ];\n';

test('splits the array into elements across any chunk boundaries', async () => {
  const expected = [{ tweet: { full_text: 'brackets ] } [ { and "quotes" and = signs 🎉' } }, { tweet: { n: [1, { a: '\\' }] } }];
  for (const size of [1, 2, 3, 7, 64, 10_000]) expect(await collect(SAMPLE, size)).toEqual(expected);
});

test('an empty array yields nothing', async () => {
  expect(await collect('window.YTD.deleted_tweets.part0 = [ ]')).toEqual([]);
});

test('errors name the file, line and column', async () => {
  await expect(collect('window.YTD.tweets.part0 = [\n  {"a": 1},\n  {"b": tru}\n]')).rejects.toThrow(
    /^data\/x\.js:3:3: this element is not valid JSON/,
  );
  await expect(collect('window.YTD.tweets.part0 = [\n  {"a": 1},\n  {"b": 1 2}\n]')).rejects.toThrow(
    /^data\/x\.js:3:11: this element is not valid JSON \(Expected ',' or '}' after property value/,
  );
  await expect(collect('window.YTD.tweets.part0 = [ {"a": 1} {"b": 2} ]')).rejects.toThrow(/data\/x\.js:1:38: expected `,` or `\]`/);
  await expect(collect('no assignment here')).rejects.toThrow(/no `=` found/);
  await expect(collect('window.YTD.tweets.part0 = [ {"a": 1}, ')).rejects.toThrow(/ends before the closing/);
  await expect(collect('window.YTD.tweets.part0 = [ ]; alert(1)')).rejects.toBeInstanceOf(TwitterImportError);
});

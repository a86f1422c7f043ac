import { TwitterImportError } from './errors.js';
import type { Account } from './plan.js';
import type { ArchiveSource } from './source.js';
import { readTweet } from './tweet.js';
import type { Tweet } from './tweet.js';
import { readYtdElements } from './ytd.js';

const TWEET_FILE = /^data\/tweets?(?:-part(\d+))?\.js$/;
const PRIVATE_FILE = /^data\/(?:twitter-circle-tweet|deleted-tweets?)(?:-part\d+)?\.js$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export async function readAccount(source: ArchiveSource, label: string): Promise<Account> {
  if (!source.names.has('data/account.js')) {
    throw new TwitterImportError(`${label} is not a Twitter archive: data/account.js is missing.`);
  }
  for await (const element of readYtdElements(source.text('data/account.js'), 'data/account.js')) {
    const account = isObject(element) && isObject(element.account) ? element.account : undefined;
    if (account && typeof account.username === 'string' && /^\w+$/.test(account.username)) {
      const displayName = typeof account.accountDisplayName === 'string' ? account.accountDisplayName : account.username;
      const id = typeof account.accountId === 'string' ? account.accountId : undefined;
      return { username: account.username, displayName, id };
    }
  }
  throw new TwitterImportError('data/account.js: no account with a `username` found. Re-download the archive.');
}

/** Ids of Twitter Circle tweets and deleted tweets: never published, whatever the options. */
export async function readPrivateIds(source: ArchiveSource): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const name of [...source.names].filter((n) => PRIVATE_FILE.test(n)).sort()) {
    for await (const element of readYtdElements(source.text(name), name)) {
      const tweet = isObject(element) && isObject(element.tweet) ? element.tweet : element;
      const id = isObject(tweet) ? (tweet.id_str ?? tweet.tweetId ?? tweet.id) : undefined;
      if (typeof id !== 'string' || !/^\d+$/.test(id)) {
        // Guessing here could publish a private tweet, so stop instead.
        throw new TwitterImportError(`${name}: an entry has no tweet id. Re-download the archive.`);
      }
      ids.add(id);
    }
  }
  return ids;
}

export function tweetFiles(source: ArchiveSource, label: string): string[] {
  const files = [...source.names].filter((n) => TWEET_FILE.test(n));
  if (files.length === 0) {
    throw new TwitterImportError(`${label} is not a Twitter archive: it has no data/tweets.js (or data/tweet.js).`);
  }
  const part = (n: string): number => Number(TWEET_FILE.exec(n)?.[1] ?? 0);
  return files.sort((a, b) => part(a) - part(b) || a.localeCompare(b));
}

/** Reads every tweet, dropping private ones as they stream past. */
export async function readTweets(
  source: ArchiveSource,
  files: string[],
  privateIds: Set<string>,
): Promise<{ tweets: Map<string, Tweet>; privateCount: number }> {
  const tweets = new Map<string, Tweet>();
  let privateCount = 0;
  for (const file of files) {
    let index = 0;
    for await (const element of readYtdElements(source.text(file), file)) {
      index++;
      const tweet = readTweet(element, `${file} (tweet #${index})`);
      if (privateIds.has(tweet.id)) privateCount++;
      else if (!tweets.has(tweet.id)) tweets.set(tweet.id, tweet);
    }
  }
  return { tweets, privateCount };
}

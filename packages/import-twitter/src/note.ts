import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Account, PlannedNote } from './plan.js';
import { renderTweet } from './render.js';
import type { RenderContext } from './render.js';
import type { Tweet } from './tweet.js';

/**
 * Every generated note carries a YAML comment with the SHA-256 of the rest of the file. A later import
 * recomputes it: a match means nobody has touched the note and it may be regenerated; anything else
 * means the writer edited it, and it is left alone. Being a comment, it is invisible to the site.
 */
const MARK = '# signet import twitter sha256:';
const MARKED = /^---\n# signet import twitter sha256:([0-9a-f]{64})\n/;

/** ISO 8601 in UTC with whole seconds, e.g. `2018-10-10T20:19:24Z`. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function statusUrl(username: string, id: string): string {
  return `https://twitter.com/${username}/status/${id}`;
}

/** The whole `index.md` of a note, front matter and body. */
export function renderNote(note: PlannedNote, account: Account, context: Omit<RenderContext, 'ownName'>): string {
  const [first] = note.tweets as [Tweet, ...Tweet[]];
  const tags: string[] = [];
  for (const tweet of note.tweets) for (const tag of tweet.hashtags) if (!tags.includes(tag.text)) tags.push(tag.text);

  const twitter: Record<string, unknown> = { id: first.id, url: statusUrl(account.username, first.id) };
  // A reply to a tweet that is not published (private, deleted, or someone else's reply) keeps the id
  // only when the tweet it answers is someone else's: private ids must not leak.
  if (first.inReplyTo !== undefined && (note.kind === 'reply' || context.noteOf(first.inReplyTo) !== undefined)) {
    twitter.in_reply_to = first.inReplyTo;
  }
  if (first.inReplyToUser !== undefined && (note.kind === 'reply' || twitter.in_reply_to !== undefined)) {
    twitter.in_reply_to_user = first.inReplyToUser;
  }
  twitter.favorites = first.favorites;
  twitter.retweets = first.retweets;
  if (note.kind === 'retweet') twitter.retweet = true;
  if (note.tweets.length > 1) twitter.thread = note.tweets.map((t) => t.id);

  const data: Record<string, unknown> = { date: isoSeconds(first.date) };
  if (tags.length > 0) data.tags = tags;
  data.twitter = twitter;

  const ownName = account.username.toLowerCase();
  const body = note.tweets
    .map((tweet, i) => {
      const continues = i > 0 || tweet.inReplyToUser?.toLowerCase() === ownName;
      return renderTweet(tweet, { ...context, ownName: continues ? ownName : undefined });
    })
    .filter((block) => block !== '')
    .join('\n\n');
  const unmarked = `---\n${stringify(data, { lineWidth: 0 })}---\n\n${body}\n`;
  return unmarked.replace(/^---\n/, `---\n${MARK}${sha256(unmarked)}\n`);
}

/** Whether a note file is exactly as an import generated it (the writer has not edited it). */
export function isUntouched(text: string): boolean {
  const match = MARKED.exec(text);
  if (!match) return false;
  return sha256(text.replace(match[0], '---\n')) === match[1];
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

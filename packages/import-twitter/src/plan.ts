import type { Tweet } from './tweet.js';

export interface Account {
  username: string;
  displayName: string;
  id: string | undefined;
}

/** One note to write: a tweet, or a thread of the account's own tweets in order. */
export interface PlannedNote {
  id: string;
  tweets: Tweet[];
  kind: 'post' | 'reply' | 'retweet';
}

export interface Plan {
  notes: PlannedNote[];
  /** For every tweet that belongs to a note, the id of that note (its first tweet). */
  noteOf: Map<string, string>;
  /** The same for every tweet, published now or not: where its note is if an earlier import wrote it. */
  rootOf: Map<string, string>;
  skipped: { replies: number; retweets: number; beforeSince: number };
}

export interface PlanOptions {
  includeReplies: boolean;
  includeRetweets: boolean;
  since: Date | undefined;
}

/**
 * Groups tweets into notes. A reply to one's own tweet continues that tweet's note; when a tweet has
 * several such replies the earliest continues it and the others start notes of their own.
 */
export function planNotes(tweets: Map<string, Tweet>, account: Account, options: PlanOptions): Plan {
  const own = account.username.toLowerCase();
  const selfReply = (t: Tweet): boolean =>
    (account.id !== undefined && t.inReplyToUserId === account.id) || t.inReplyToUser?.toLowerCase() === own;
  const parentOf = (t: Tweet): Tweet | undefined => {
    const parent = t.inReplyTo === undefined || !selfReply(t) ? undefined : tweets.get(t.inReplyTo);
    return parent && !parent.isRetweet ? parent : undefined;
  };

  const children = new Map<string, Tweet[]>();
  const roots: Tweet[] = [];
  for (const tweet of tweets.values()) {
    const parent = parentOf(tweet);
    if (!parent) roots.push(tweet);
    else if (children.has(parent.id)) children.get(parent.id)?.push(tweet);
    else children.set(parent.id, [tweet]);
  }
  const byDate = (a: Tweet, b: Tweet): number => a.date.getTime() - b.date.getTime() || compareIds(a.id, b.id);
  for (const list of children.values()) list.sort(byDate);

  const notes: PlannedNote[] = [];
  const noteOf = new Map<string, string>();
  const rootOf = new Map<string, string>();
  const skipped = { replies: 0, retweets: 0, beforeSince: 0 };
  const queue = [...roots];
  for (let q = 0; q < queue.length; q++) {
    const root = queue[q] as Tweet;
    const chain = [root];
    for (let kids = children.get(root.id); kids && kids.length > 0; kids = children.get(chain[chain.length - 1]?.id ?? '')) {
      const [next, ...others] = kids;
      queue.push(...others);
      if (next) chain.push(next);
    }
    const replyToOthers = (root.inReplyTo !== undefined || root.inReplyToUser !== undefined) && !selfReply(root);
    const kind = root.isRetweet ? 'retweet' : replyToOthers ? 'reply' : 'post';
    for (const tweet of chain) rootOf.set(tweet.id, root.id);
    if (kind === 'retweet' && !options.includeRetweets) skipped.retweets += chain.length;
    else if (kind === 'reply' && !options.includeReplies) skipped.replies += chain.length;
    else if (options.since && root.date < options.since) skipped.beforeSince += chain.length;
    else {
      notes.push({ id: root.id, tweets: chain, kind });
      for (const tweet of chain) noteOf.set(tweet.id, root.id);
    }
  }
  notes.sort((a, b) => byDate(a.tweets[0] as Tweet, b.tweets[0] as Tweet));
  return { notes, noteOf, rootOf, skipped };
}

/** Compares numeric id strings without losing precision. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

import { resolve } from 'node:path';
import { join } from 'node:path';
import { TwitterImportError } from './errors.js';
import { isUntouched, renderNote } from './note.js';
import { planNotes } from './plan.js';
import type { PlannedNote } from './plan.js';
import { readAccount, readPrivateIds, readTweets, tweetFiles } from './read.js';
import { openSource } from './source.js';
import type { Tweet } from './tweet.js';
import { eachLimit, existingNotes, openStaging, readExisting, writeText } from './write.js';
import type { Staging } from './write.js';

export interface ImportOptions {
  /** The archive: the downloaded .zip or the folder it was extracted to. */
  source: string;
  /** Folder the notes go in, e.g. `<site>/content/notes`. */
  into: string;
  includeReplies?: boolean;
  includeRetweets?: boolean;
  /** Leave out tweets (threads: whose first tweet was) posted before this moment. */
  since?: Date;
  /** Import even when media files named by tweets are missing from the archive (they are listed). */
  allowMissingMedia?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportSummary {
  new: number;
  /** Notes regenerated because the archive changed (counts, a longer thread) and nobody had edited them. */
  updated: number;
  unchanged: number;
  /** Notes the writer has edited since they were imported: left as they are. */
  edited: number;
  skipped: { replies: number; retweets: number; private: number; beforeSince: number };
  /** Archive paths of media files that tweets name but the archive lacks. */
  missingMedia: string[];
  account: { username: string; displayName: string };
}

/** Imports a Twitter/X archive into one page-bundle note per tweet or thread. Safe to run again. */
export async function importTwitterArchive(options: ImportOptions): Promise<ImportSummary> {
  const into = resolve(options.into);
  const source = await openSource(options.source);
  try {
    const account = await readAccount(source, options.source);
    const files = tweetFiles(source, options.source);
    const privateIds = await readPrivateIds(source);
    const { tweets, privateCount } = await readTweets(source, files, privateIds);
    const plan = planNotes(tweets, account, {
      includeReplies: options.includeReplies ?? false,
      includeRetweets: options.includeRetweets ?? false,
      since: options.since,
    });
    tweets.clear(); // the plan holds the tweets it publishes; let the rest go
    const existing = await existingNotes(into);

    const mediaPath = (tweet: Tweet, file: string): string => `data/tweets_media/${tweet.id}-${file}`;
    const missingMedia: string[] = [];
    for (const note of plan.notes) {
      if (note.kind === 'retweet') continue; // a retweet's media belongs to someone else's tweet
      for (const tweet of note.tweets) {
        for (const media of tweet.media) {
          const path = mediaPath(tweet, media.file);
          if (!source.names.has(path) && !missingMedia.includes(path)) missingMedia.push(path);
        }
      }
    }
    if (missingMedia.length > 0 && !options.allowMissingMedia) {
      const shown = missingMedia.slice(0, 5).join(', ') + (missingMedia.length > 5 ? `, and ${missingMedia.length - 5} more` : '');
      throw new TwitterImportError(
        `${options.source}: ${missingMedia.length} media file(s) named by tweets are missing from the archive: ${shown}. ` +
          'Download the archive again, or import anyway (--allow-missing-media) and those tweets link to the media on Twitter instead.',
      );
    }
    const missing = new Set(missingMedia);
    const retweetIds = new Set(plan.notes.filter((n) => n.kind === 'retweet').flatMap((n) => n.tweets.map((t) => t.id)));
    const copiedMedia = (tweet: Tweet): { file: string; type: string; alt: string; path: string }[] => {
      if (retweetIds.has(tweet.id)) return [];
      const seen = new Set<string>();
      return tweet.media
        .filter((m) => m.file !== '' && !missing.has(mediaPath(tweet, m.file)) && !seen.has(m.file) && seen.add(m.file))
        .map((m) => ({ file: `${tweet.id}-${m.file}`, type: m.type, alt: m.alt, path: mediaPath(tweet, m.file) }));
    };
    const noteOf = (id: string): string | undefined => {
      const published = plan.noteOf.get(id);
      if (published !== undefined) return published;
      const root = plan.rootOf.get(id);
      return root !== undefined && existing.has(root) ? root : undefined;
    };

    const summary: ImportSummary = {
      new: 0,
      updated: 0,
      unchanged: 0,
      edited: 0,
      skipped: { ...plan.skipped, private: privateCount },
      missingMedia,
      account: { username: account.username, displayName: account.displayName },
    };
    const total = plan.notes.length;
    let done = 0;
    let reported = -1;
    const progress = (): void => {
      const step = Math.floor((done * 1000) / Math.max(total, 1));
      if (step !== reported || done === total) options.onProgress?.(done, total);
      reported = step;
    };
    progress();

    let staging: Staging | undefined;
    let stagingOpened: Promise<Staging> | undefined;
    const toCommit: { id: string; replace: boolean }[] = [];
    const stage = async (note: PlannedNote): Promise<void> => {
      const text = renderNote(note, account, { noteOf, copiedMedia });
      let replace = false;
      if (existing.has(note.id)) {
        const current = readExisting(into, note.id);
        if (current === text) summary.unchanged++;
        else if (current === undefined || !isUntouched(current)) summary.edited++;
        else replace = true;
        if (!replace) return;
      }
      stagingOpened ??= openStaging(into);
      staging = await stagingOpened;
      const folder = staging.folder(note.id);
      writeText(join(folder, 'index.md'), text);
      for (const media of note.tweets.flatMap(copiedMedia)) await source.copy(media.path, join(folder, media.file));
      toCommit.push({ id: note.id, replace });
    };
    try {
      await eachLimit(plan.notes, 16, async (note) => {
        await stage(note);
        done++;
        progress();
      });
      const staged = staging as Staging | undefined;
      if (staged) {
        await eachLimit(toCommit, 16, async ({ id, replace }) => {
          await staged.commit(id, replace);
          if (replace) summary.updated++;
          else summary.new++;
        });
      }
    } finally {
      const opened = await stagingOpened?.catch(() => undefined);
      await opened?.discard();
    }
    return summary;
  } finally {
    source.close();
  }
}

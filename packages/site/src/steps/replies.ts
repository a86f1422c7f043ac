/**
 * Replies under the posts they answer, from the sites the site follows, as `signet fetch` stored
 * them: the config's `replies` (signed, followed or none) says which, `mute.txt` hides domains. The
 * build stays offline. A site that follows nobody pays nothing here (one check made in
 * `createContext`); one with no reply to its posts reads the store once, as its network pages do,
 * and adds no work per post.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '@signet/config';
import type { Entry } from '@signet/content';
import type { Reply } from '@signet/network/read';
import { readMentions } from '@signet/webmention/read';
import { networkRead } from '../lazy.js';
import { formatDate } from '../view.js';
import type { Context } from './context.js';
import { networkInputs } from './network.js';

/** One reply as layouts see it (`page.replies`, and `replies` in the `replies` layout): text and http(s) links only. */
export interface ReplyView {
  url: string;
  title: string | undefined;
  text: string;
  date: string;
  dateText: string;
  /** The author's site: its host (the domain, with a port when it has one), home page and feed's title. */
  site: { host: string; url: string; title: string | undefined };
  /** The domain whose key the reply verified against; undefined for an unsigned one (`replies: followed`). */
  signedBy: string | undefined;
}

export interface PostReplies {
  views: ReplyView[];
  /** What the page shows of them, for its cache key. */
  signature: string;
}

export function resolveReplies(ctx: Context): void {
  const policy = ctx.config.replies ?? 'signed';
  if (ctx.site.blogroll === undefined || policy === 'none') return;
  const read = networkRead();
  const { entries, store } = networkInputs(ctx);
  const selected = read.selectReplies({
    feeds: store.feeds, domains: store.domains, following: entries.map((e) => e.url!),
    muted: muteList(ctx), policy, siteUrl: ctx.config.url,
    // Replies an external Webmention receiver took (their sources checked by `signet fetch`): unsigned.
    ...(policy === 'followed' ? { mentions: readMentions(ctx.config.root).mentions.filter((m) => m.property === 'in-reply-to') } : {}),
  });
  if (selected.size === 0) return;
  ctx.replies = new Map();
  for (const [key, replies] of selected) {
    const views = replies.map((reply) => replyView(reply, ctx.config.language));
    ctx.replies.set(key, { views, signature: JSON.stringify(views) });
  }
}

/** The replies shown under `entry`, if any: a lookup only on a site that has some. */
export function repliesOf(ctx: Context, entry: Entry): PostReplies | undefined {
  if (ctx.replies === undefined || entry.kind !== 'post') return undefined;
  return ctx.replies.get(networkRead().replyKey(ctx.derive.url(entry)));
}

/** The `replies` layout (a site may override it), rendered for a post's page. */
export function repliesHtml(ctx: Context, entry: Entry, replies: PostReplies): string {
  const page = { title: entry.title, url: ctx.derive.url(entry), path: ctx.urls.link(entry.urlPath) };
  return ctx.renderer.render('replies', { site: ctx.site, page, replies: replies.views });
}

function replyView(reply: Reply, language: string): ReplyView {
  return {
    url: reply.url, title: reply.title, text: reply.text, date: reply.date, dateText: formatDate(new Date(reply.date), language),
    site: { host: reply.host, url: reply.siteUrl, title: reply.siteTitle }, signedBy: reply.signedBy,
  };
}

/** The domains of `mute.txt`; a line that is not one is a warning naming it, and is skipped. */
function muteList(ctx: Context): string[] {
  const read = networkRead();
  let text: string;
  try {
    text = readFileSync(path.join(ctx.config.root, read.MUTE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new SignetError(`cannot read ${read.MUTE_FILE}: ${(error as Error).message}`, { file: read.MUTE_FILE, hint: 'It lists the domains whose replies are hidden, one a line: make it a text file, or remove it.' });
  }
  const parsed = read.parseMuteList(text);
  for (const problem of parsed.problems) ctx.notes.push({ file: read.MUTE_FILE, line: problem.line, message: problem.message });
  return parsed.domains;
}

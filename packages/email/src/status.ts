import path from 'node:path';
import { loadConfig } from '@signet/config';
import { addressKey } from './address.js';
import { Ledger } from './ledger.js';
import { emailPosts } from './posts.js';
import { readSubscribers } from './subscribers.js';
import { LEDGER, subscribersFile } from './send.js';

export interface PostStatus {
  id: string;
  title: string;
  /** `sent`: it has gone out (to `sent` readers, from `at`); `marked`: published before the first send, never sent; `pending`: not sent yet. */
  state: 'sent' | 'marked' | 'pending';
  at?: string;
  sent: number;
  failed: number;
  /** Readers on the list still waiting for it (only when the list was given). */
  waiting?: number;
}

export interface StatusOptions {
  root: string;
  subscribers?: string;
  env?: Record<string, string | undefined>;
  now?: Date;
}

/** What was sent, when and to how many, and what is still to go: read from the ledger, nothing changed. */
export function emailStatus(options: StatusOptions): { started?: string; posts: PostStatus[] } {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const config = loadConfig(options.root);
  const ledger = Ledger.open(path.join(config.root, LEDGER), { write: false });
  const listFile = options.subscribers ?? env.SIGNET_SUBSCRIBERS;
  const keys = listFile ? readSubscribers(subscribersFile({ subscribers: listFile }, config.root), config).map((s) => addressKey(s.address)) : undefined;
  const posts = emailPosts(config, now).map((post): PostStatus => {
    const record = ledger.find(post.id, post.entry.source, post.published);
    const title = post.entry.title ?? post.entry.summary ?? post.entry.urlPath;
    if (!record) return { id: post.id, title, state: 'pending', sent: 0, failed: 0, ...(keys && ledger.started !== undefined ? { waiting: keys.length } : {}) };
    if (record.state === 'skipped') return { id: post.id, title, state: 'marked', at: record.at, sent: 0, failed: 0 };
    const failed = [...record.failed.values()].filter((f) => f.permanent).length;
    const status: PostStatus = { id: post.id, title, state: 'sent', at: record.at, sent: record.sent.size, failed };
    if (keys) status.waiting = keys.filter((key) => (ledger.seen.get(key) ?? '\uffff') <= record.at && !record.sent.has(key) && !record.failed.get(key)?.permanent).length;
    return status;
  });
  return { started: ledger.started, posts: posts.reverse() };
}

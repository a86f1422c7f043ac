import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { SignetError } from '@signet/config';

/** What the ledger remembers of one post: keyed by its signed envelope's `id`. */
export interface PostRecord {
  id: string;
  /** The content file and publication date: the same post when its URL (and so its id) changed. */
  source: string;
  published: string;
  title?: string;
  /** When its sending started (or when the first send found it and marked it as sent). */
  at: string;
  /** `skipped`: already published when the list's first send ran, so never sent. */
  state: 'sending' | 'skipped';
  sent: Map<string, string>;
  failed: Map<string, Failure>;
}

export interface Failure {
  at: string;
  code: number | string;
  permanent: boolean;
  reason: string;
}

type Line =
  | { type: 'start'; at: string; backfill: boolean }
  | { type: 'post'; id: string; source: string; published: string; title?: string; at: string; state: 'sending' | 'skipped' }
  | { type: 'seen'; to: string; at: string }
  | { type: 'sent'; id: string; to: string; at: string }
  | ({ type: 'failed'; id: string; to: string } & Failure);

/**
 * The record of what was sent: one JSON line per event, appended and flushed to disk (fsync) the
 * moment a server accepts a message, so a send killed at any point loses at most the line it was
 * writing. A torn last line is dropped when the ledger is opened. Addresses are stored only as
 * `addressKey` hashes.
 */
export class Ledger {
  started: string | undefined;
  readonly posts = new Map<string, PostRecord>();
  /** Address key → when a send first saw it in the list. */
  readonly seen = new Map<string, string>();
  private fd: number | undefined;

  private constructor(readonly file: string) {}

  static open(file: string, { write }: { write: boolean }): Ledger {
    const ledger = new Ledger(file);
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    complete.split('\n').forEach((raw, index) => {
      if (raw === '') return;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        throw new SignetError('the email ledger is damaged', { file: path.basename(file), line: index + 1, hint: 'Restore it from a backup; deleting it would send every post again after the next first send marks them.' });
      }
      ledger.apply(line);
    });
    if (write) {
      mkdirSync(path.dirname(file), { recursive: true });
      ledger.fd = openSync(file, 'a+', 0o600);
      // Drop a line a killed send left half-written, so the next line starts on its own.
      if (complete !== text) ftruncateSync(ledger.fd, Buffer.byteLength(complete));
    }
    return ledger;
  }

  private apply(line: Line): void {
    switch (line.type) {
      case 'start':
        this.started ??= line.at;
        break;
      case 'post':
        if (!this.posts.has(line.id)) {
          this.posts.set(line.id, { id: line.id, source: line.source, published: line.published, title: line.title, at: line.at, state: line.state, sent: new Map(), failed: new Map() });
        }
        break;
      case 'seen':
        if (!this.seen.has(line.to)) this.seen.set(line.to, line.at);
        break;
      case 'sent': {
        const post = this.posts.get(line.id);
        post?.sent.set(line.to, line.at);
        post?.failed.delete(line.to);
        break;
      }
      case 'failed':
        this.posts.get(line.id)?.failed.set(line.to, { at: line.at, code: line.code, permanent: line.permanent, reason: line.reason });
        break;
    }
  }

  private append(line: Line): void {
    if (this.fd === undefined) throw new Error('the ledger was opened read-only');
    writeSync(this.fd, `${JSON.stringify(line)}\n`);
    fsyncSync(this.fd);
    this.apply(line);
  }

  /** The post under its id, or under the id it had before its URL changed (same file, same date). */
  find(id: string, source: string, published: string): PostRecord | undefined {
    const direct = this.posts.get(id);
    if (direct) return direct;
    for (const post of this.posts.values()) if (post.source === source && post.published === published) return post;
    return undefined;
  }

  start(at: string, backfill: boolean): void {
    this.append({ type: 'start', at, backfill });
  }

  addPost(post: Omit<PostRecord, 'sent' | 'failed'>): PostRecord {
    const { id, source, published, title, at, state } = post;
    this.append({ type: 'post', id, source, published, ...(title === undefined ? {} : { title }), at, state });
    return this.posts.get(id)!;
  }

  see(to: string, at: string): void {
    if (!this.seen.has(to)) this.append({ type: 'seen', to, at });
  }

  sent(id: string, to: string, at: string): void {
    this.append({ type: 'sent', id, to, at });
  }

  failed(id: string, to: string, failure: Failure): void {
    this.append({ type: 'failed', id, to, ...failure });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * One send at a time: the lock file holds the sender's host and process id. A lock whose process is
 * gone (the send was killed) is taken over; a live one stops the second send.
 */
export function acquireLock(file: string, now: Date): () => void {
  mkdirSync(path.dirname(file), { recursive: true });
  const mine = JSON.stringify({ host: hostname(), pid: process.pid, at: now.toISOString() });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
      return () => {
        try {
          if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
        } catch {
          // Already gone.
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: { host?: string; pid?: number; at?: string } = {};
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder;
    } catch {
      // Unreadable: treated as held, below, unless it is ours to judge.
    }
    if (holder.host === hostname() && typeof holder.pid === 'number' && !alive(holder.pid)) {
      unlinkSync(file);
      continue;
    }
    throw new SignetError(`another \`signet email send\` is running${holder.pid ? ` (process ${holder.pid} on ${holder.host}, since ${holder.at})` : ''}`, {
      hint: `Wait for it to finish. If no send is running, delete ${path.basename(path.dirname(file))}/${path.basename(file)}.`,
    });
  }
  throw new SignetError('could not take the send lock', { hint: 'Try again.' });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig, SignetError, type SiteConfig } from '@signet/config';
import { addressKey, isAddress, normalizeAddress } from './address.js';
import { acquireLock, Ledger } from './ledger.js';
import { addressLetter, letterSettings, prepareLetter, type Letter, type LetterSettings } from './message.js';
import { emailPosts, envelopeOf, findPost, type EmailPost } from './posts.js';
import { readSubscribers, type Subscriber } from './subscribers.js';
import { classify, smtpTransport, type SmtpFailure, type Transport } from './transport.js';

export interface SendOptions {
  /** The site folder. */
  root: string;
  /** The subscriber list; default SIGNET_SUBSCRIBERS. */
  subscribers?: string;
  /** Where SIGNET_SMTP_URL, SIGNET_SUBSCRIBERS and the other secrets are read; default `process.env`. */
  env?: Record<string, string | undefined>;
  now?: Date;
  /** On the list's first send, send the posts already published too (by default they are marked as sent). */
  backfill?: boolean;
  /** Send one post to one address again, whatever the ledger says. */
  resend?: { post: string; to: string };
  /** Instead of SMTP from SIGNET_SMTP_URL (tests). */
  transport?: Transport;
  /** Attempts per message for transient failures, and the first wait (doubled each time). */
  retry?: { attempts: number; delayMs: number };
  /** Called after each message with a line that names no reader. */
  onProgress?: (line: string) => void;
}

export interface PostSummary {
  id: string;
  title: string;
  sent: number;
  already: number;
  failed: number;
}

export interface SendSummary {
  /** Posts marked as sent, unsent, on the list's first send (without `backfill`). */
  marked: number;
  sent: number;
  already: number;
  failed: number;
  /** Readers whose server refused the letter for good (5xx): recorded, never tried again. */
  permanent: number;
  /** Readers whose server said "later" (4xx) every time: tried again on the next run. */
  deferred: number;
  /** Set when the run stopped early (the server went away, or refused the login): what it said. */
  stopped?: string;
  posts: PostSummary[];
}

export const LEDGER = path.join('.signet', 'email', 'ledger.jsonl');
const LOCK = path.join('.signet', 'email', 'send.lock');

export function subscribersFile(options: { subscribers?: string; env?: Record<string, string | undefined> }, cwd: string): string {
  const file = options.subscribers ?? options.env?.SIGNET_SUBSCRIBERS;
  if (!file) {
    throw new SignetError('no subscriber list given', { hint: 'Pass --subscribers FILE or set SIGNET_SUBSCRIBERS to a CSV (email,name,subscribed_at) kept outside the published folders.' });
  }
  return path.resolve(cwd, file);
}

/**
 * Sends every post that has not gone out to every reader who has not had it, exactly once: the
 * ledger records each (envelope id, address) the moment the server accepts it, so a rerun after a
 * kill or a dropped connection sends only the rest. A reader added to the list after a post started
 * going out does not get that post; new posts reach them.
 */
export async function sendPosts(options: SendOptions): Promise<SendSummary> {
  const env = options.env ?? process.env;
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const config = loadConfig(options.root);
  const settings = letterSettings(config, env);
  const subscribers = readSubscribers(subscribersFile({ subscribers: options.subscribers, env }, config.root), config);
  const posts = emailPosts(config, now);
  const resend = options.resend ? resendTarget(options.resend, posts, subscribers, config) : undefined;
  const release = acquireLock(path.join(config.root, LOCK), now);
  const ledger = Ledger.open(path.join(config.root, LEDGER), { write: true });
  const transport = options.transport ?? smtpTransport(env, settings);
  const summary: SendSummary = { marked: 0, sent: 0, already: 0, failed: 0, permanent: 0, deferred: 0, posts: [] };
  try {
    if (resend) {
      await deliverAll(settings, ledger, transport, resend.post, [resend.to], ensurePost(ledger, resend.post, at), now, options, summary);
      return summary;
    }
    if (ledger.started === undefined) {
      ledger.start(at, options.backfill === true);
      if (!options.backfill) {
        for (const post of posts) ledger.addPost({ id: post.id, source: post.entry.source, published: post.published, title: post.entry.title, at, state: 'skipped' });
        summary.marked = posts.length;
        return summary;
      }
    }
    for (const subscriber of subscribers) ledger.see(addressKey(subscriber.address), at);
    for (const post of posts) {
      const known = ledger.find(post.id, post.entry.source, post.published);
      if (known?.state === 'skipped') continue;
      const record = known ?? ensurePost(ledger, post, at);
      const keys = subscribers.map((s) => addressKey(s.address));
      const eligible = subscribers.filter((_, i) => (ledger.seen.get(keys[i]!) ?? at) <= record.at);
      const waiting = eligible.filter((s) => {
        const key = addressKey(s.address);
        return !record.sent.has(key) && !record.failed.get(key)?.permanent;
      });
      const already = eligible.filter((s) => record.sent.has(addressKey(s.address))).length;
      if (waiting.length === 0) {
        summary.already += already;
        continue;
      }
      const line = await deliverAll(settings, ledger, transport, post, waiting, record, now, options, summary);
      line.already = already;
      summary.already += already;
      if (summary.stopped) break;
    }
    return summary;
  } finally {
    transport.close();
    ledger.close();
    release();
  }
}

function ensurePost(ledger: Ledger, post: EmailPost, at: string) {
  return ledger.find(post.id, post.entry.source, post.published) ?? ledger.addPost({ id: post.id, source: post.entry.source, published: post.published, title: post.entry.title, at, state: 'sending' });
}

function resendTarget(resend: { post: string; to: string }, posts: EmailPost[], subscribers: Subscriber[], config: SiteConfig): { post: EmailPost; to: Subscriber } {
  const post = findPost(posts, resend.post, config);
  if (!isAddress(resend.to.trim())) throw new SignetError('--to is not an email address', { hint: 'Give the one address to send the post to again.' });
  const listed = subscribers.find((s) => normalizeAddress(s.address) === normalizeAddress(resend.to));
  return { post, to: listed ?? { address: resend.to.trim() } };
}

async function deliverAll(settings: LetterSettings, ledger: Ledger, transport: Transport, post: EmailPost, readers: Subscriber[], record: { id: string }, now: Date, options: SendOptions, summary: SendSummary): Promise<PostSummary> {
  const letter: Letter = prepareLetter(settings, post, envelopeOf(post, settings.config));
  const line: PostSummary = { id: post.id, title: letter.subject, sent: 0, already: 0, failed: 0 };
  summary.posts.push(line);
  for (const [index, reader] of readers.entries()) {
    const key = addressKey(reader.address);
    const failure = await deliver(transport, addressLetter(settings, letter, reader, now), options.retry ?? { attempts: 4, delayMs: 2_000 });
    const stamp = new Date().toISOString();
    if (!failure) {
      ledger.sent(record.id, key, stamp);
      line.sent += 1;
      summary.sent += 1;
    } else {
      if (failure.outcome !== 'fatal') ledger.failed(record.id, key, { at: stamp, code: failure.code, permanent: failure.outcome === 'permanent', reason: failure.reason });
      line.failed += 1;
      summary.failed += 1;
      if (failure.outcome === 'permanent') summary.permanent += 1;
      // A 4xx for this reader (a full mailbox, greylisting): kept for the next run, and on to the next.
      else if (failure.outcome === 'retry' && typeof failure.code === 'number' && failure.code !== 421) {
        summary.deferred += 1;
      } else {
        // The server is gone or refuses us: the rest stays for the next run.
        summary.stopped = `${failure.code}: ${failure.reason}`;
        options.onProgress?.(`"${letter.subject}": ${index + 1}/${readers.length}, stopped`);
        return line;
      }
    }
    options.onProgress?.(`"${letter.subject}": ${index + 1}/${readers.length}`);
  }
  return line;
}

/** One message, tried again with a doubling wait while failures are transient. Undefined when accepted. */
async function deliver(transport: Transport, message: Parameters<Transport['sendMail']>[0], retry: { attempts: number; delayMs: number }): Promise<SmtpFailure | undefined> {
  let last: SmtpFailure | undefined;
  for (let attempt = 0; attempt < retry.attempts; attempt += 1) {
    if (attempt > 0) await sleep(retry.delayMs * 2 ** (attempt - 1));
    try {
      await transport.sendMail(message);
      return undefined;
    } catch (error) {
      last = classify(error);
      if (last.outcome !== 'retry') return last;
    }
  }
  return last;
}

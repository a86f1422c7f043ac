import type { Entry } from '@signet/content';
import { SignetError } from '@signet/config';
import { checkEnvelopeRules, type SignedEnvelope } from '@signet/sign';
import { keyIdentity, recordSignature, reuseOrPlan, signingContext, type PendingSignature } from '../envelope.js';
import { finishJobs, startJobs, threadCount, type StartedJobs } from '../parallel.js';
import { intern } from '../reuse.js';
import { JOB_SLICE, SIGN_CHUNK, type Context } from './context.js';

/**
 * Reuses every envelope it can, then signs the rest together, across threads when there are many. A
 * very large site goes a slice of posts at a time, so that only one slice's items and JSON are held.
 */
export function signPosts(ctx: Context): void {
  const signer = startSigning(ctx);
  const { posts } = ctx.content;
  for (let start = 0; start < posts.length; start += JOB_SLICE) {
    signer.add(posts.slice(start, start + JOB_SLICE));
    signer.settle();
  }
  signer.finish();
}

// How many posts `signAhead` signs ahead of the page being made.
const AHEAD = 4 * SIGN_CHUNK;

/**
 * Signs the posts as their pages need them, for a site made page by page (`streamsPages`): the
 * workers sign the next `AHEAD` posts while this thread makes pages, and only those posts'
 * envelopes are held, not every post's from before the first page. `settleUntil(entry, index)` is
 * called with each entry the pages step makes, in order.
 */
export function signAhead(ctx: Context): { settleUntil: (entry: Entry, index: number) => void; finish: () => void } {
  const signer = startSigning(ctx, true);
  const { posts } = ctx.content;
  let added = 0;
  const more = (until: number) => {
    for (; added < Math.min(until, posts.length); added += SIGN_CHUNK) signer.add(posts.slice(added, added + SIGN_CHUNK));
  };
  more(AHEAD);
  return {
    settleUntil(entry, index) {
      more(index + AHEAD);
      signer.settleUntil(entry);
    },
    finish: signer.finish,
  };
}

/**
 * Signs posts in batches: `add` reuses what it can and starts the rest on the workers, which sign
 * them while this thread does other work; `settle` waits for the batches started, this thread
 * helping with what no worker has taken yet, and `settleUntil` for those up to one post's; `finish`
 * settles them all.
 */
export function startSigning(ctx: Context, ahead = false): { add: (entries: Entry[]) => void; settle: () => void; settleUntil: (entry: Entry) => void; finish: () => void } {
  // Interned: each post compares it with the context its envelope was signed in.
  const context = intern(signingContext(ctx.config, ctx.key, ctx.did));
  // Each page's JSON is made where its post is signed and held until the page is made: a site signed
  // slice by slice, all before its first page, would hold every post's at once (~4 KB a plain post,
  // ~400 MB at 100,000). Its pages make it instead, as for an envelope taken from the cache; unless
  // the posts are signed just `ahead` of their pages (`signAhead`), which holds a few thousand.
  const pageJson = ahead || ctx.content.posts.length < JOB_SLICE;
  const signing = { verificationMethod: `${ctx.did}#${ctx.key.id}`, seed: ctx.key.seed, identity: keyIdentity(ctx.key, ctx.did), pageJson };
  // A draft (shown by a preview build) is never signed: its page says it is a draft instead. (Asked
  // of each entry, not a set of them made for every build: at 10,000 posts that set cost `signet dev`
  // a few ms a save.) Posts dated in the future are not in the content at all.
  const signs = (entry: Entry) => entry.kind === 'post' && !entry.draft;
  type Pending = { post: Entry; feedHtml: string; url: string; plan: PendingSignature };
  const started: { pending: Pending[]; jobs: StartedJobs<'sign'> }[] = [];
  /** Takes in the signatures of the first `count` chunks started, waiting for them if need be. */
  const settle = (count = started.length) => {
    for (const { pending, jobs } of started.splice(0, count)) {
      let results: ReturnType<typeof finishJobs<'sign'>>['results'];
      try {
        ({ results } = finishJobs(jobs));
      } catch (error) {
        throw unsignable(pending, error);
      }
      pending.forEach((p, i) => ctx.envelopes.set(p.post, recordSignature(p.post, p.feedHtml, p.url, context, p.plan, results[i]!, ctx.cache, ctx.used?.envelopes)));
      if (ctx.cacheWriter) {
        // This build's own cache need not hold the new envelopes: the file keeps them.
        ctx.cacheWriter.entries('envelopes', results.map((r) => [r.cacheKey, ctx.cache.envelopes.get(r.cacheKey)!]));
        for (const r of results) ctx.cache.envelopes.delete(r.cacheKey);
      }
    }
  };
  const add = (entries: Entry[]) => {
    let pending: Pending[] = [];
    // Handed over a chunk at a time: the workers start on the first posts while this thread makes
    // the items of the next (10,000 at once left them idle ~50 ms, then sent them all in one copy).
    const start = () => {
      if (pending.length === 0) return;
      started.push({ pending, jobs: startJobs('sign', pending.map((p) => p.plan.item), threadCount(ctx.threads, pending.length, 'sign'), { signing }) });
      pending = [];
    };
    for (const post of entries) {
      // A map held from the build before may have an envelope for an entry that is now a draft, or
      // one that is signed again below: `settleUntil` must wait for the new one.
      if (!signs(post)) {
        ctx.envelopes.delete(post);
        continue;
      }
      const feedHtml = ctx.html.get(post)!.feedHtml;
      const url = ctx.derive.url(post);
      const outcome = reuseOrPlan(post, feedHtml, url, ctx.config, ctx.key, ctx.did, ctx.cache, ctx.used?.envelopes, context, post.references && ctx.references?.get(post)?.envelope);
      if ('envelope' in outcome) ctx.envelopes.set(post, outcome.envelope);
      else {
        ctx.envelopes.delete(post);
        pending.push({ post, feedHtml, url, plan: outcome.pending });
      }
      if (pending.length === SIGN_CHUNK) start();
    }
    start();
  };
  /** Waits for `entry`'s envelope, if it is a post being signed: chunks are settled in the order they were started. */
  const settleUntil = (entry: Entry) => {
    while (started.length > 0 && signs(entry) && !ctx.envelopes.has(entry)) settle(1);
  };
  const finish = () => settle();
  return { add, settle: () => settle(), settleUntil, finish };
}

/**
 * The error for a chunk that could not be signed, naming the post's file: a worker signing an item
 * knows only its URL. The rules are checked again here, on this chunk only, to find the post.
 */
function unsignable(pending: { post: Entry; plan: PendingSignature }[], error: unknown): unknown {
  for (const { post, plan } of pending) {
    const problems = checkEnvelopeRules(plan.item);
    if (problems.length === 0) continue;
    return new SignetError(`the post cannot be signed: ${problems.join(' ')}`, {
      file: post.source,
      hint: problems.some((problem) => problem.includes('limit is'))
        ? 'A signed post is at most 1 MiB as JSON, escapes included (spec §4.2): split it into several posts.'
        : 'Fix the front matter or text named above and build again.',
    });
  }
  return error;
}

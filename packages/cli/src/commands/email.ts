import path from 'node:path';
import type { Check, PostStatus, SendSummary } from '@signet/email';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';

// The email package loads only when an email command runs, and nodemailer, juice and html-to-text
// only when it first calls them (scripts/bundle.mjs gives each a file of its own).
const load = () => import('@signet/email');

/** `signet email preview | send | status | doctor`. Never prints a subscriber's address. */
export async function email(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, COMMANDS.email);
  const root = path.resolve(io.cwd, text(values.root) ?? '.');
  const allowed: Record<string, string[]> = { preview: ['root'], send: ['root', 'subscribers', 'backfill', 'resend', 'to'], status: ['root', 'subscribers'], doctor: ['root'] };
  if (sub === undefined || !(sub in allowed)) throw new UsageError(sub ? `unknown email command "${sub}"` : 'say which email command to run', { hint: USAGE.email });
  const stray = Object.keys(values).filter((flag) => !allowed[sub]!.includes(flag));
  if (stray.length > 0) throw new UsageError(`signet email ${sub} does not take --${stray[0]}`, { hint: USAGE.email });
  if (positionals.length > (sub === 'preview' ? 1 : 0)) throw new UsageError(`too many arguments for signet email ${sub}`, { hint: USAGE.email });
  const subscribers = text(values.subscribers) === undefined ? undefined : path.resolve(io.cwd, text(values.subscribers)!);
  const mail = await load();

  if (sub === 'preview') {
    const files = await mail.previewPost({ root, post: positionals[0], env: io.env });
    if (files.length === 0) io.out('No post to preview: write one in content/posts/ first.');
    for (const file of files) io.out(path.relative(io.cwd, file) || file);
    return EXIT.ok;
  }
  if (sub === 'doctor') {
    const checks = await mail.emailDoctor({ root, env: io.env });
    for (const check of checks) io.out(doctorLine(check));
    return checks.every((check) => check.result === 'ok') ? EXIT.ok : EXIT.failed;
  }
  if (sub === 'status') {
    const status = mail.emailStatus({ root, subscribers, env: io.env });
    io.out(status.started ? `Sending since ${when(status.started)}.` : 'Nothing sent yet: the first `signet email send` marks the posts already published as sent (or sends them with --backfill).');
    for (const post of status.posts) io.out(statusLine(post));
    if (status.posts.length === 0) io.out('No posts to send.');
    return EXIT.ok;
  }
  const resend = text(values.resend);
  const to = text(values.to);
  if ((resend === undefined) !== (to === undefined)) throw new UsageError('a resend names one post and one address: --resend POST --to ADDRESS', { hint: USAGE.email });
  let shown = '';
  const summary = await mail.sendPosts({
    root,
    subscribers,
    env: io.env,
    backfill: values.backfill === true,
    resend: resend !== undefined && to !== undefined ? { post: resend, to } : undefined,
    onProgress: (line) => {
      if (io.progress) io.progress(line);
      else if (line !== shown && isLastProgress(line)) io.err(line);
      shown = line;
    },
  });
  if (io.progress && shown) io.err('');
  for (const line of summaryLines(summary)) io.out(line);
  return summary.failed > 0 || summary.stopped ? EXIT.failed : EXIT.ok;
}

function when(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

function summaryLines(summary: SendSummary): string[] {
  const lines: string[] = [];
  if (summary.marked > 0) lines.push(`First send: ${summary.marked} published post(s) marked as sent, not sent (run it with --backfill on a new ledger to send them). New posts go out from now on.`);
  for (const post of summary.posts) lines.push(`  "${post.title}": ${post.sent} sent, ${post.already} already sent, ${post.failed} failed`);
  lines.push(`Sent ${summary.sent}, already sent ${summary.already}, failed ${summary.failed}.`);
  if (summary.permanent > 0) lines.push(`${summary.permanent} reader(s) refused for good (5xx): recorded, and not tried again. Remove them from the list.`);
  if (summary.deferred > 0) lines.push(`${summary.deferred} reader(s) asked to try later (4xx): the next send tries again.`);
  if (summary.stopped) lines.push(`Stopped early: the server said ${summary.stopped}. Run \`signet email send\` again to send the rest; nobody gets a post twice.`);
  return lines;
}

function statusLine(post: PostStatus): string {
  const waiting = post.waiting === undefined ? '' : `, ${post.waiting} waiting`;
  if (post.state === 'marked') return `  marked   ${post.title} (published before the first send; not sent)`;
  if (post.state === 'pending') return `  pending  ${post.title}${waiting}`;
  return `  sent     ${post.title}: ${post.sent} reader(s) from ${when(post.at!)}${post.failed ? `, ${post.failed} refused` : ''}${waiting}`;
}

function doctorLine(check: Check): string {
  const mark = check.result === 'ok' ? 'ok     ' : check.result === 'missing' ? 'missing' : 'unknown';
  return `${mark}  ${check.name}: ${check.detail}`;
}

/** The progress line worth keeping without a terminal: the last count ("40/40") or a stop. */
function isLastProgress(line: string): boolean {
  if (line.includes('stopped')) return true;
  // \b before the first digits: only where a number starts is the pattern tried (linear).
  const count = /\b(\d+)\/(\d+)\b/.exec(line);
  return count !== null && count[1] === count[2];
}

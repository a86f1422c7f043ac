import path from 'node:path';
import { loadConfig } from '@signet/config';
import type { JobOutcome } from '@signet/webmention';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';

// The package (and undici, htmlparser2 behind it) loads only when this command runs.
const load = () => import('@signet/webmention');

const WHY = { new: 'new', updated: 'updated', dropped: 'link removed', deleted: 'post deleted' } as const;

/**
 * `signet webmention send [--dry-run]`: tells every page the built site's posts link to, once per
 * version of each post, from the ledger in .signet/webmention/. A failed target is reported and tried
 * again next time; the exit code is 0 unless --strict and something failed.
 */
export async function webmention(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseFlags(rest, COMMANDS.webmention);
  if (sub !== 'send') throw new UsageError(sub ? `unknown webmention command "${sub}"` : 'say which webmention command to run', { hint: USAGE.webmention });
  if (positionals.length > 0) throw new UsageError(`signet webmention send takes no arguments (got "${positionals[0]}")`, { hint: USAGE.webmention });
  const timeout = text(values.timeout);
  if (timeout !== undefined && !(Number(timeout) > 0)) throw new UsageError(`--timeout takes seconds, such as 10, not "${timeout}"`, { hint: USAGE.webmention });
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const dryRun = values['dry-run'] === true;
  const { sendWebmentions } = await load();
  const summary = await sendWebmentions({
    root: config.root,
    outDir: text(values.out) === undefined ? path.resolve(config.root, config.dirs.out) : path.resolve(io.cwd, text(values.out)!),
    siteUrl: config.url,
    dryRun,
    allowPrivateNetwork: values['allow-private-network'] === true,
    ...(timeout === undefined ? {} : { timeoutMs: Number(timeout) * 1000 }),
    onOutcome: (o) => line(o, io),
  });
  const posts = `${summary.posts} post${summary.posts === 1 ? '' : 's'}`;
  const deleted = summary.deleted > 0 ? `, ${summary.deleted} deleted post${summary.deleted === 1 ? '' : 's'}` : '';
  if (dryRun) io.out(`Dry run: ${summary.planned} Webmention${summary.planned === 1 ? '' : 's'} would be sent (${posts}${deleted}); nothing was fetched, sent or recorded.`);
  else io.out(`Webmentions: ${summary.sent} sent, ${summary.none} target${summary.none === 1 ? '' : 's'} without an endpoint, ${summary.failed} failed (${posts}${deleted}).`);
  return values.strict === true && summary.failed > 0 ? EXIT.failed : EXIT.ok;
}

function line(o: JobOutcome, io: Io): void {
  const pair = `${o.source} → ${o.target} (${WHY[o.why]})`;
  if (o.state === 'planned') io.out(`would send: ${pair}`);
  else if (o.state === 'sent') io.out(`sent: ${pair}: ${o.endpoint} answered ${o.status}`);
  else if (o.state === 'none') io.out(`no endpoint: ${pair}`);
  else io.err(`failed: ${pair}: ${o.reason} (tried again next time)`);
}

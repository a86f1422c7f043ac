import path from 'node:path';
import { loadConfig } from '@signet/config';
import { loadContent } from '@signet/content';
import { fetchFeeds, fetchTargets, fileStore, networkDir, readFollowing, type TargetOutcome } from '@signet/network';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';

/**
 * `signet fetch`: reads every followed feed into .signet/network/, and each post the site's posts
 * point at (`in_reply_to` …) once. A failed feed is reported and keeps its last items; the exit code
 * is 0 unless --strict and something failed.
 */
export async function fetchCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, COMMANDS.fetch);
  const timeout = text(values.timeout);
  if (timeout !== undefined && !(Number(timeout) > 0)) throw new UsageError(`--timeout takes seconds, such as 10, not "${timeout}"`, { hint: USAGE.fetch });
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const http = {
    siteUrl: config.url,
    force: values.force === true,
    allowPrivateNetwork: values['allow-private-network'] === true,
    ...(timeout === undefined ? {} : { timeoutMs: Number(timeout) * 1000 }),
  };
  const targets = referencedUrls(config);
  let failed = false;
  if (targets.length > 0) {
    const outcomes = await fetchTargets(targets, networkDir(config.root), http);
    failed = reportTargets(outcomes, io);
  }
  if (config.webmention?.feed) failed = !(await fetchMentions(config, config.webmention.feed, http, io)) || failed;
  const feeds = await readFollowing(config.root);
  if (feeds.length === 0) {
    if (targets.length === 0 && !config.webmention?.feed) io.out('You follow nobody yet: `signet follow <url>` adds a site.');
    return values.strict === true && failed ? EXIT.failed : EXIT.ok;
  }
  const started = performance.now();
  const summary = await fetchFeeds(feeds, fileStore(networkDir(config.root)), {
    ...http,
    onProgress: (done, total, outcome) => io.progress?.(`Fetching feeds: ${done}/${total} ${outcome.url.slice(0, 60).padEnd(60)}`),
  });
  io.progress?.('\n');
  for (const f of summary.feeds) {
    if (f.state === 'failed') io.err(`failed: ${f.url}: ${f.reason}`);
    else if (f.state === 'skipped') io.out(`skipped: ${f.url}: ${f.reason}`);
    if (f.keysReplaced) io.err(`warning: ${f.keysReplaced} no longer lists any key it used before, and did not revoke them: its new posts show as "key changed" until you run \`signet follow --trust-new-keys ${f.keysReplaced}\``);
    if (f.failed > 0) io.err(`warning: ${f.url}: ${f.failed} item${f.failed === 1 ? '' : 's'} failed verification (see \`signet following\`)`);
  }
  const ms = Math.round(performance.now() - started);
  io.out(`Fetched ${summary.feeds.length} feeds in ${ms} ms: ${summary.fetched} fetched, ${summary.notModified} not modified, ${summary.skipped} skipped, ${summary.failed} failed; items: ${summary.itemsNew} new, ${summary.verified} verified, ${summary.unsigned} unsigned, ${summary.itemsFailed} failed.`);
  return values.strict === true && (failed || summary.failed > 0 || summary.itemsFailed > 0) ? EXIT.failed : EXIT.ok;
}

/**
 * The mentions the site's external Webmention receiver took (`webmention.feed`), each kept only once
 * its source, read again, links the post. The receiver's token comes from SIGNET_WEBMENTION_TOKEN and
 * is never printed. False when the receiver could not be read.
 */
async function fetchMentions(config: ReturnType<typeof loadConfig>, feedUrl: string, http: { allowPrivateNetwork: boolean; timeoutMs?: number }, io: Io): Promise<boolean> {
  const { importMentions } = await import('@signet/webmention');
  const token = io.env.SIGNET_WEBMENTION_TOKEN?.trim() || undefined;
  try {
    const summary = await importMentions({ root: config.root, feedUrl, siteUrl: config.url, ...http, ...(token ? { token } : {}) });
    for (const r of summary.rejected) io.out(`mention not kept: ${r.source}${r.target ? ` → ${r.target}` : ''}: ${r.reason}`);
    io.out(`Mentions from ${feedUrl}: ${summary.listed} listed, ${summary.verified} verified, ${summary.rejected.length} not kept, ${summary.kept} kept from the last fetch (their source could not be read).`);
    return true;
  } catch (error) {
    io.err(`failed: ${(error as Error).message} (the mentions of the last fetch are kept)`);
    return false;
  }
}

/** Every URL a post or page points at (`in_reply_to`, `like_of`, `repost_of`, `bookmark_of`), drafts included. */
function referencedUrls(config: ReturnType<typeof loadConfig>): string[] {
  const content = loadContent(config, { drafts: true, future: true });
  const urls = new Set<string>();
  for (const entry of [...content.posts, ...content.pages]) for (const r of entry.references ?? []) urls.add(r.url);
  return [...urls];
}

/** One line per target read; true when one failed. */
export function reportTargets(outcomes: TargetOutcome[], io: Io): boolean {
  let failed = false;
  for (const o of outcomes) {
    if (o.state === 'failed') {
      failed = true;
      io.err(`failed: ${o.url}: ${o.reason}`);
    } else if (o.state === 'fetched' && o.record) {
      const r = o.record;
      io.out(`Read ${o.url}: "${r.title ?? r.url}"${r.site ? ` on ${r.site.title}` : ''}, ${r.status === 'verified' ? `signed by ${r.domain}` : r.status === 'failed' ? `its signature failed (${r.reason})` : 'unsigned'}`);
    }
  }
  return failed;
}

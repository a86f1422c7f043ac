import path from 'node:path';
import { loadConfig } from '@signet/config';
import { fileStore, networkDir, readFollowing } from '@signet/network';
import { EXIT, parseFlags, text, type Io } from '../io.js';
import { COMMANDS } from '../usage.js';

/** `signet following`: a table of the followed sites and what the last fetch found. */
export async function following(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, COMMANDS.following);
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const store = fileStore(networkDir(config.root));
  const domains = new Map((await store.listDomains()).map((d) => [d.domain, d]));
  const rows = await Promise.all((await readFollowing(config.root)).map(async (entry) => {
    const record = await store.readFeed(entry.url);
    const verified = record?.items.find((i) => i.status === 'verified');
    const domain = verified?.domain === undefined ? undefined : domains.get(verified.domain);
    const signed = !record?.lastSuccess ? 'not fetched' : domain?.keysReplaced ? 'keys replaced' : verified ? `signed by ${verified.domain}` : record.items.some((i) => i.status === 'failed') ? 'failed checks' : 'unsigned';
    return { site: record?.title ?? entry.title ?? entry.siteUrl ?? '', feed: entry.url, signed, fetched: record?.lastFetched?.slice(0, 16).replace('T', ' ') ?? '', error: record?.lastError ?? '' };
  }));
  if (values.json === true) {
    io.out(JSON.stringify(rows, null, 2));
    return EXIT.ok;
  }
  if (rows.length === 0) {
    io.out('You follow nobody yet: `signet follow <url>` adds a site.');
    return EXIT.ok;
  }
  const cols = ['site', 'feed', 'signed', 'fetched', 'error'] as const;
  const head = { site: 'SITE', feed: 'FEED', signed: 'SIGNED', fetched: 'LAST FETCHED', error: 'LAST ERROR' };
  const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const width = Object.fromEntries(cols.map((c) => [c, Math.min(c === 'error' ? 60 : 40, Math.max(...[head, ...rows].map((r) => r[c].length)))]));
  for (const r of [head, ...rows]) io.out(cols.map((c) => cut(r[c], width[c]!).padEnd(width[c]!)).join('  ').trimEnd());
  return EXIT.ok;
}

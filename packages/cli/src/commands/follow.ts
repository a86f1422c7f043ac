import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, SignetError } from '@signet/config';
import { DiscoveryError, fileStore, followSite, importFollowList, networkDir, OpmlError, trustNewKeys } from '@signet/network';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';

/** `signet follow <url>`, `--import export.opml`, `--trust-new-keys DOMAIN`: edits following.opml. */
export async function follow(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.follow);
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const options = { siteUrl: config.url, title: `${config.title}: following`, allowPrivateNetwork: values['allow-private-network'] === true };
  const trust = text(values['trust-new-keys']);
  if (trust !== undefined) {
    if (!(await trustNewKeys(fileStore(networkDir(config.root)), trust))) throw new SignetError(`no keys are stored for ${trust}`, { hint: 'Run `signet fetch` first; give the domain as `signet following` shows it (with its port, if any).' });
    io.out(`Trusted the current keys of ${trust}: its posts show as signed again.`);
    return EXIT.ok;
  }
  const file = text(values.import);
  try {
    if (file !== undefined) {
      const result = await importFollowList(config.root, await readFile(path.resolve(io.cwd, file), 'utf8'), options);
      for (const e of result.added) io.out(`Following ${e.title ?? e.url} (${e.url})${e.category.length ? ` in ${e.category.join(' / ')}` : ''}`);
      for (const f of result.failed) io.err(`warning: ${f.entry.title ?? f.entry.siteUrl}: ${f.reason}`);
      io.out(`Imported ${result.added.length} feeds (${result.known.length} already followed, ${result.failed.length} without a feed) into following.opml.`);
      return EXIT.ok;
    }
    if (positionals.length !== 1) throw new UsageError(`signet follow takes one URL (got ${positionals.length})`, { hint: USAGE.follow });
    const { discovery, added } = await followSite(config.root, positionals[0]!, options);
    io.out(`${added ? 'Following' : 'Already following'} ${discovery.title ?? discovery.siteUrl}`);
    io.out(`  feed:   ${discovery.feedUrl} (${discovery.format})`);
    for (const other of discovery.feeds.slice(1)) io.out(`  also:   ${other.url} (${other.format})`);
    io.out(`  signed: ${discovery.didJson ? 'the site publishes /.well-known/did.json; its signed posts will be verified' : 'no /.well-known/did.json: its posts will show as unsigned'}`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DiscoveryError || error instanceof OpmlError) throw new SignetError(`${file ?? positionals[0]}: ${error.message}`, { hint: file ? 'Give an OPML file exported from a feed reader.' : 'Give the address of the site or of its feed.' });
    throw error;
  }
}

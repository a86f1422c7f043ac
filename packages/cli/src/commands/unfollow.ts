import path from 'node:path';
import { loadConfig, SignetError } from '@signet/config';
import { fileStore, networkDir, unfollowSite } from '@signet/network';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';

/** `signet unfollow <url>`: removes the feed's line from following.opml and its stored items. */
export async function unfollow(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.unfollow);
  if (positionals.length !== 1) throw new UsageError(`signet unfollow takes one URL (got ${positionals.length})`, { hint: USAGE.unfollow });
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const removed = await unfollowSite(config.root, positionals[0]!, fileStore(networkDir(config.root)));
  if (removed === 0) throw new SignetError(`following.opml has no feed or site ${positionals[0]}`, { hint: '`signet following` lists what you follow.' });
  io.out(`Unfollowed ${positionals[0]}.`);
  return EXIT.ok;
}

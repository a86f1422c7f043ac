import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, SignetError } from '@signet/config';
import { fetchTargets, networkDir } from '@signet/network';
import { toUtcSeconds } from '@signet/sign';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';
import { reportTargets } from './fetch.js';
import { slugify } from './new.js';

/**
 * `signet reply <url>`: reads the post being answered (its title, site and, when signed, its verified
 * envelope, stored for the build) and starts a draft reply to it in content/posts/. Never overwrites a file.
 */
export async function reply(args: string[], io: Io, now = new Date()): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.reply);
  if (positionals.length !== 1) throw new UsageError(`signet reply takes one URL (got ${positionals.length})`, { hint: USAGE.reply });
  let target: URL;
  try {
    target = new URL(positionals[0]!);
  } catch {
    throw new UsageError(`${positionals[0]} is not a URL`, { hint: USAGE.reply });
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new UsageError(`${target.href} is not an http(s) URL`, { hint: USAGE.reply });
  target.hash = '';
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const [outcome] = await fetchTargets([target.href], networkDir(config.root), { siteUrl: config.url, force: true, allowPrivateNetwork: values['allow-private-network'] === true });
  reportTargets(outcome ? [outcome] : [], io);
  const title = outcome?.record?.title;
  const slug = slugify(`re ${title ?? target.hostname + target.pathname}`);
  const file = path.join(config.root, config.dirs.content, 'posts', `${slug}.md`);
  if (existsSync(file)) throw new SignetError(`${path.relative(io.cwd, file)} already exists`, { hint: 'Edit that file, or rename it and run this again.' });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `---\ndate: ${toUtcSeconds(now)}\nin_reply_to: ${JSON.stringify(target.href)}\ndraft: true\n---\n\nWrite your reply here.\n`, { flag: 'wx' });
  io.out(`Created ${path.relative(io.cwd, file)} (a draft reply: set \`draft: false\` to publish)`);
  return EXIT.ok;
}

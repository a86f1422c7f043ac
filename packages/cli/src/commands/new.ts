import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, SignetError } from '@signet/config';
import { toUtcSeconds } from '@signet/sign';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';


export function slugify(title: string): string {
  const slug = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');
  // At most 60 characters (240 bytes, within a file name's 255), cut after a whole word when it can be.
  const cut = [...slug].slice(0, 61).join('');
  const short = [...slug].length > 60 ? cut.slice(0, Math.max(cut.lastIndexOf('-'), 0)) || [...slug].slice(0, 60).join('') : slug;
  return short || 'post';
}

/** A new post with front matter in content/posts/. Never overwrites a file that exists. */
export async function newPost(args: string[], io: Io, now = new Date()): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.new);
  const title = positionals.join(' ').trim();
  if (!title) throw new UsageError('give the new post a title', { hint: USAGE.new });
  const config = loadConfig(path.resolve(io.cwd, text(values.root) ?? '.'));
  const file = path.join(config.root, config.dirs.content, 'posts', `${slugify(title)}.md`);
  if (existsSync(file)) {
    throw new SignetError(`${path.relative(io.cwd, file)} already exists`, { hint: 'Pick another title, or edit that file.' });
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const front = `---\ntitle: ${JSON.stringify(title)}\ndate: ${toUtcSeconds(now)}\ntags: []\ndraft: true\n---\n\nWrite here.\n`;
  writeFileSync(file, front, { flag: 'wx' });
  io.out(`Created ${path.relative(io.cwd, file)} (a draft: set \`draft: false\` to publish, or build with --drafts to preview)`);
  return EXIT.ok;
}

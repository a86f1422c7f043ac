import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { SignetError } from '@signet/config';
import { generateKey, REGISTRY_FILE } from '@signet/keys';
import { conflicts, DEFAULT_ANSWERS, normalizeUrl, writeSite, type SiteAnswers } from '../scaffold.js';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { readPipedInput } from '../stdin.js';
import { COMMANDS, USAGE } from '../usage.js';


/** Asks one question and returns the answer (empty when the user just pressed Enter). */
export type Ask = (question: string) => Promise<string>;

/**
 * Where the answers come from: a person at a terminal, or lines piped on standard input (one per
 * question, an empty line taking the default, as Enter does). Input that ends before every question
 * is answered stops `init` before it writes anything: defaults are never taken silently.
 */
async function inputAsk(io: Io): Promise<{ ask: Ask; close: () => void }> {
  if (process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    return { ask: (question) => rl.question(question), close: () => rl.close() };
  }
  const text = (await readPipedInput()) ?? '';
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const ask: Ask = async (question) => {
    const line = lines.shift();
    if (line === undefined) {
      throw new UsageError(`standard input ended before an answer to "${question.split(' (', 1)[0]}"; nothing was written`, {
        hint: 'Pipe one line per question (an empty line takes the default), or give --title, --url and --author, or --yes to take the defaults.',
      });
    }
    // Shown as a terminal would show it, so a log says what was answered.
    io.out(`${question}${line}`);
    return line;
  };
  return { ask, close: () => {} };
}

async function answer(ask: Ask | undefined, question: string, given: string | undefined, fallback: string): Promise<string> {
  if (given !== undefined || !ask) return given ?? fallback;
  return (await ask(`${question} (${fallback}): `)).trim() || fallback;
}

async function collect(ask: Ask | undefined, flags: Record<string, string | undefined>): Promise<SiteAnswers> {
  const title = await answer(ask, 'Site title', flags.title, DEFAULT_ANSWERS.title);
  const url = normalizeUrl(await answer(ask, 'Address readers will use', flags.url, DEFAULT_ANSWERS.url));
  const author = await answer(ask, 'Pen name shown on posts (no legal name or email needed)', flags.author, DEFAULT_ANSWERS.author);
  if (!title.trim()) throw new UsageError('the title is empty', { hint: USAGE.init });
  if (!author.trim()) throw new UsageError('the pen name is empty', { hint: USAGE.init });
  return { title: title.trim(), url, author: author.trim() };
}

/** Starts a site: config, a first post, an about page, .gitignore, the publish workflow and a signing key. */
export async function init(args: string[], io: Io, ask?: Ask, now = new Date()): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.init);
  if (positionals.length > 1) throw new UsageError('give at most one folder', { hint: USAGE.init });
  const root = path.resolve(io.cwd, positionals[0] ?? '.');
  const shown = path.relative(io.cwd, root) || '.';
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new SignetError(`${shown} is a file, not a folder`, { hint: 'Give a new folder name, or an existing folder.' });
  }
  const taken = conflicts(root, now);
  if (taken.length > 0) {
    throw new SignetError(`${shown} already has ${taken.join(', ')}`, {
      hint: 'Signet never overwrites your files. Run `signet init` in a new or empty folder.',
    });
  }
  const flags = { title: text(values.title), url: text(values.url), author: text(values.author) };
  const needsAnswers = values.yes !== true && !ask && Object.values(flags).some((value) => value === undefined);
  const input = needsAnswers ? await inputAsk(io) : undefined;
  let answers: SiteAnswers;
  try {
    answers = await collect(values.yes === true ? undefined : ask ?? input?.ask, flags);
  } finally {
    input?.close();
  }
  mkdirSync(root, { recursive: true });
  const written = writeSite(root, answers, now);
  const key = generateKey(root, now);
  for (const file of [...written, REGISTRY_FILE]) io.out(`Created ${path.join(shown, file)}`);
  io.out('');
  io.out(`Signing key ${key.id} (public key ${key.publicKeyMultibase}).`);
  io.out(`Commit ${REGISTRY_FILE}: it is public. The secret is in ${path.relative(io.cwd, key.secretFile)} (mode 0600, never committed).`);
  io.out('Store this secret as the repository secret SIGNET_SIGNING_KEY. It is shown only this once:');
  io.out(`  ${key.secret}`);
  io.out('');
  if (answers.url === DEFAULT_ANSWERS.url) io.out(`Set \`url\` in ${path.join(shown, 'signet.config.yaml')} to your site's address before publishing.`);
  io.out('Next: push to GitHub, then choose Settings → Pages → Source: GitHub Actions.');
  return EXIT.ok;
}

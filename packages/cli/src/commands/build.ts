import path from 'node:path';
import { buildSiteToDisk } from '@signet/site';
import { badgeFile } from '../badge.js';
import { EXIT, parseFlags, text, type Io } from '../io.js';

export const usage = 'signet build [--drafts] [--future] [--out DIR] [--root DIR]';

export async function build(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, {
    drafts: { type: 'boolean' },
    future: { type: 'boolean' },
    out: { type: 'string' },
    root: { type: 'string' },
  }, usage);
  const root = path.resolve(io.cwd, text(values.root) ?? '.');
  const out = text(values.out);
  const started = performance.now();
  const result = buildSiteToDisk({
    root,
    drafts: values.drafts === true,
    future: values.future === true,
    outDir: out === undefined ? undefined : path.resolve(io.cwd, out),
    env: io.env,
    extraFiles: await badgeFile(),
  });
  for (const warning of result.warnings) io.err(`warning: ${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message}`);
  if (result.keyNotice) io.err(result.keyNotice);
  const ms = Math.round(performance.now() - started);
  const shown = path.relative(io.cwd, result.outDir) || '.';
  io.out(`Built ${result.stats.posts} posts and ${result.stats.pages} pages, ${result.stats.feeds} feeds, ${result.stats.files} files in ${ms} ms → ${shown}/`);
  return EXIT.ok;
}

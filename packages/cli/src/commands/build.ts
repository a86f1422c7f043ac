import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { buildSiteToDisk, yieldHelperThreads, type BuildResult } from '@signet/site';
import { warningLines } from '@signet/config';
import { badgeFile } from '../badge.js';
import { EXIT, parseFlags, text, type Io } from '../io.js';
import { COMMANDS } from '../usage.js';

// Entries from which a build keeps its heap close to what is live, and lets V8 optimise later (see below).
const LARGE_SITE = 20_000;
const LATE_TIERING_FROM = 1_000;

export async function build(args: string[], io: Io): Promise<number> {
  const { values } = parseFlags(args, COMMANDS.build);
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
    onFiles: (files) => {
      // A build allocates fast for a long time, and V8 then lets the heap grow to several times what
      // is live before it collects: gigabytes on a 100,000-post site. Growing by a fifth at a time
      // keeps the peak near the live size, for about 5% more CPU time, which a smaller site (where
      // the heap stays small anyway) need not pay. The flag applies to the worker threads too. Set
      // before the content is read: V8 sets the next limit at each full collection, and one made
      // while the content was read (at four times what was live then, ~850 MB at 100,000 posts)
      // stayed the limit through the Markdown step.
      if (files >= LARGE_SITE) setFlagsFromString('--heap-growing-percent=20');
    },
    onContent: (entries) => {
      // A function runs six times V8's budget (67,584) before V8 optimises it. A build runs most of
      // its code a few thousand times and then never again: with V8's budget its optimising compiler
      // spent ~0.6 s of CPU on a cold 4,000-post build, on the core the build's other threads need,
      // for functions that then ran a few hundred times more. Measured (interleaved cold builds,
      // medians, the bench's corpora): plain 1,664 → 1,538 ms (CPU 2,830 → 2,460 ms), rich 3,170 →
      // 3,086 ms; at three times the budget both gained less, at 16× rich builds were 15% slower (the
      // Markdown pipeline stayed unoptimised too long). Set here, once a build of some size is
      // certain: a rebuild with nothing to do (~5,000 files checked) was 4% slower under it, and the
      // code caches, made by building a small site and checked as a command starts, under V8's own
      // flags, stay valid (V8 checks a cache's flags when it reads it, before this).
      if (entries >= LATE_TIERING_FROM) setFlagsFromString('--interrupt-budget=405504');
      // The signing and writing threads have started by now: this thread comes first (see priority.ts).
      yieldHelperThreads();
    },
  });
  for (const line of warningLines(result.warnings)) io.err(line);
  if (result.keyNotice) io.err(result.keyNotice);
  const ms = Math.round(performance.now() - started);
  const shown = path.relative(io.cwd, result.outDir) || '.';
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  io.out(`Built ${count(result.stats.posts, 'post')} and ${count(result.stats.pages, 'page')}, ${count(result.stats.feeds, 'feed')}, ${count(result.stats.files, 'file')} in ${ms} ms → ${shown}/`);
  if (values.timings === true) io.out(timingsText(result.stats.steps));
  const left = leftOutText(result.stats.leftOut);
  if (left) io.out(left);
  const images = result.stats.images;
  if (images) io.out(imagesSummary(images));
  return EXIT.ok;
}

/**
 * `Images: 5 images published without metadata, 2 encoded; removed GPS from 3 images, EXIF from 4, XMP
 * from 1.`, and how many originals a bundle's `images: { originals: true }` published full-size.
 */
export function imagesSummary(images: NonNullable<BuildResult['stats']['images']>): string {
  const plural = (n: number) => `${n} image${n === 1 ? '' : 's'}`;
  const removed = Object.entries(images.removed).map(([kind, n], i) => `${kind} from ${i === 0 ? plural(n) : n}`);
  const originals = images.originals ? ` ${images.originals === 1 ? '1 original' : `${images.originals} originals`} published full-size (images: { originals: true }).` : '';
  return `Images: ${plural(images.images)} published without metadata, ${images.encoded} encoded${removed.length > 0 ? `; removed ${removed.join(', ')}` : ''}.${originals}`;
}

/** `Steps: inputs 80 ms, content 140 ms, markdown and sign 190 ms, …`: where a build's time went, step by step. */
export function timingsText(steps: { name: string; ms: number }[]): string {
  return `Steps: ${steps.map((s) => `${s.name} ${Math.round(s.ms)} ms`).join(', ')}`;
}

/** "Left out 2 drafts and 1 future post (…)": what a build did not publish, and how to preview it. */
export function leftOutText(leftOut: { drafts: number; future: number } | undefined): string | undefined {
  if (!leftOut || leftOut.drafts + leftOut.future === 0) return undefined;
  const parts: string[] = [];
  const flags: string[] = [];
  if (leftOut.drafts > 0) {
    parts.push(`${leftOut.drafts} draft${leftOut.drafts === 1 ? '' : 's'}`);
    flags.push('--drafts');
  }
  if (leftOut.future > 0) {
    parts.push(`${leftOut.future} post${leftOut.future === 1 ? '' : 's'} dated in the future`);
    flags.push('--future');
  }
  return `Left out ${parts.join(' and ')} (${flags.join(' and ')} to preview ${leftOut.drafts + leftOut.future === 1 ? 'it' : 'them'}).`;
}

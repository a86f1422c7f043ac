import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SignetError } from '@signet/config';
import { startWriter, type FileWriter } from './writer.js';

/** One file of the built site: bytes made by the build, or a file copied as it is. */
export type OutputFile = { path: string; contents: string | Uint8Array } | { path: string; from: string };

/**
 * Where a site records the output folders its builds wrote (`.signet/outputs.json`, paths relative to
 * the site), so a rebuild may replace them and nothing else is ever removed. The record stays in the
 * site's own state folder: nothing internal is published.
 */
export const OUTPUTS_RECORD = path.join('.signet', 'outputs.json');

/** The marker file older versions left inside the output folder: such a folder is Signet's too. */
export const LEGACY_OUTPUT_MARKER = '.signet-output';

function recordedOutputs(root: string): string[] {
  try {
    const folders = JSON.parse(readFileSync(path.join(root, OUTPUTS_RECORD), 'utf8')) as unknown;
    return Array.isArray(folders) ? folders.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether a build of the site at `root` wrote the folder `out`. */
function madeBySignet(out: string, root: string): boolean {
  return existsSync(path.join(out, LEGACY_OUTPUT_MARKER)) || recordedOutputs(root).some((folder) => path.resolve(root, folder) === out);
}

/** Records `out` as an output folder of the site at `root`. */
function recordOutput(out: string, root: string): void {
  const folders = recordedOutputs(root);
  const relative = path.relative(root, out) || '.';
  if (folders.some((folder) => path.resolve(root, folder) === out)) return;
  mkdirSync(path.join(root, '.signet'), { recursive: true });
  const file = path.join(root, OUTPUTS_RECORD);
  writeFileSync(`${file}.tmp`, `${JSON.stringify([...folders, relative])}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Refuses output folders that would overwrite what the user wrote: the site folder itself, anything
 * holding or inside the content, layouts or static folders, or an existing folder Signet did not make.
 */
export function checkOutputDir(outDir: string, root: string, protectedDirs: string[]): void {
  const out = path.resolve(outDir);
  if (out === path.resolve(root) || path.resolve(root).startsWith(out + path.sep)) {
    throw new SignetError(`the output folder ${out} would replace the site folder`, { hint: 'Choose an output folder inside the site, such as dist.' });
  }
  for (const dir of protectedDirs.map((d) => path.resolve(d))) {
    if (out === dir || dir.startsWith(out + path.sep) || out.startsWith(dir + path.sep)) {
      throw new SignetError(`the output folder ${out} overlaps ${dir}, which holds your own files`, {
        hint: 'Choose another output folder with --out, such as dist.',
      });
    }
  }
  if (existsSync(out) && readdirSync(out).length > 0 && !madeBySignet(out, path.resolve(root))) {
    throw new SignetError(`the output folder ${out} already has files that Signet did not write`, {
      hint: 'Move them away or choose another folder with --out; Signet never deletes files it did not make.',
    });
  }
}

/**
 * Where a build puts its files as it makes them: kept in a list (`collectOutput`), or written at once
 * into a staging folder (`stageOutput`), so that a large site is never held in memory whole.
 */
export interface OutputSink {
  add(file: OutputFile): void;
  /** The path of every file added so far, in order. */
  readonly paths: string[];
  /** Told how many files the build will add, about: a sink may get ready for them meanwhile. */
  expect?(files: number): void;
}

export function collectOutput(): OutputSink & { files: OutputFile[] } {
  const files: OutputFile[] = [];
  const paths: string[] = [];
  return {
    files,
    paths,
    add(file) {
      files.push(file);
      paths.push(file.path);
    },
  };
}

export interface StagedOutput extends OutputSink {
  /** Swaps the staged files in as `outDir`, replacing what was there. */
  commit(): void;
  /** After `commit`: each file's path, size and modification time (ms), in the order added. */
  written(): [string, number, number][];
  /** How many files the calling thread wrote itself: the first ones, and any while the writer thread was behind. */
  writtenHere(): number;
  /** Removes the staging folder; the previous output stays exactly as it was. */
  abort(): void;
}

// The first files are written on the calling thread: a small site is done before a thread has started.
const WRITE_HERE = 256;

/**
 * Writes each file, as it is added, into a temporary folder beside `outDir`; `commit` then swaps it in
 * with two renames. A build that fails at any point aborts, leaving the previous output as it was.
 */
export function stageOutput(outDir: string, root: string): StagedOutput {
  const out = path.resolve(outDir);
  const parent = path.dirname(out);
  const name = path.basename(out);
  const staging = path.join(parent, `.${name}.signet-staging-${process.pid}`);
  const previous = path.join(parent, `.${name}.signet-previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const made = new Set<string>();
  const paths: string[] = [];
  let writer: FileWriter | undefined;
  // Size and modification time of each file written here (by index in `paths`), then of those the
  // writer thread wrote, in the order they went to it: the build's manifest records them, and they
  // are known without a second pass over the files.
  const here = new Map<number, [number, number]>();
  let byWriter: Float64Array | undefined;
  const closeWriter = () => {
    const open = writer;
    writer = undefined;
    if (open) byWriter = open.close();
  };
  return {
    paths,
    expect(files) {
      // A thread takes about 100 ms to start: started now, it is ready before the first page is made,
      // instead of the build waiting for it with its first batches queued.
      if (files > WRITE_HERE) writer ??= startWriter();
    },
    add(file) {
      const target = path.join(staging, file.path);
      if (!target.startsWith(staging + path.sep)) throw new SignetError(`refusing to write outside the output folder: ${file.path}`);
      paths.push(file.path);
      // A large site's pages and feeds are written by a thread of their own (see writer.ts). While it
      // is behind (on two cores it takes turns with the signing thread and V8's helpers), this thread
      // writes the file itself rather than wait: it waited ~180 ms of a cold 4,000-post build so.
      if (!('from' in file) && (writer || paths.length > WRITE_HERE)) {
        writer ??= startWriter();
        if (!writer.busy(file.contents)) {
          writer.write(target, file.contents);
          return;
        }
      }
      const dir = path.dirname(target);
      if (!made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        made.add(dir);
      }
      if ('from' in file) copyFileSync(file.from, target);
      else writeFileSync(target, file.contents);
      const { size, mtimeMs } = statSync(target);
      here.set(paths.length - 1, [size, mtimeMs]);
    },
    writtenHere: () => here.size,
    written() {
      let next = 0;
      return paths.map((file, index) => {
        const stat = here.get(index);
        if (stat) return [file, stat[0], stat[1]];
        if (!byWriter || next * 2 >= byWriter.length) throw new Error(`no record of writing ${file}`);
        next++;
        return [file, byWriter[next * 2 - 2]!, byWriter[next * 2 - 1]!];
      });
    },
    commit() {
      try {
        closeWriter();
        recordOutput(out, path.resolve(root));
      } catch (error) {
        rmSync(staging, { recursive: true, force: true });
        throw error;
      }
      if (existsSync(out)) {
        renameSync(out, previous);
        renameSync(staging, out);
        rmSync(previous, { recursive: true, force: true });
      } else {
        renameSync(staging, out);
      }
    },
    abort() {
      // Nothing may still be writing into the folder being removed.
      try {
        closeWriter();
      } catch {
        // The build failed already; a write failing too changes nothing.
      }
      rmSync(staging, { recursive: true, force: true });
    },
  };
}

/** Whether a process with this id is running (one of another user counts: it cannot be signalled, but it is there). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the staging and previous-output folders that builds killed before they finished left beside
 * `outDir` (their process is gone; a running build's folders are left alone). A build killed between
 * its two renames left no output folder but the previous output whole, aside: when the site's record
 * says that folder is its output, it is put back first.
 */
export function cleanUpAfterDeadBuilds(outDir: string, root: string): void {
  const out = path.resolve(outDir);
  const parent = path.dirname(out);
  const prefix = `.${path.basename(out)}.signet-`;
  let names: string[];
  try {
    names = readdirSync(parent).filter((entry) => entry.startsWith(prefix));
  } catch {
    return;
  }
  if (names.length === 0) return;
  const left = names
    .map((entry) => ({ entry, match: /^(staging|previous)-([0-9]{1,9})$/.exec(entry.slice(prefix.length)) }))
    .filter(({ match }) => match !== null && Number(match[2]) !== process.pid && !isAlive(Number(match[2])));
  // Previous outputs first: one may have to become the output folder again.
  left.sort((a, b) => (a.match![1] === b.match![1] ? 0 : a.match![1] === 'previous' ? -1 : 1));
  for (const { entry, match } of left) {
    const folder = path.join(parent, entry);
    if (match![1] === 'previous' && !existsSync(out) && madeBySignet(out, path.resolve(root))) renameSync(folder, out);
    else rmSync(folder, { recursive: true, force: true });
  }
}

/** Writes a whole site atomically: see `stageOutput`. `root`: the site folder, where the output is recorded. */
export function writeOutput(files: OutputFile[], outDir: string, root: string): void {
  cleanUpAfterDeadBuilds(outDir, root);
  const staged = stageOutput(outDir, root);
  try {
    for (const file of files) staged.add(file);
  } catch (error) {
    staged.abort();
    throw error;
  }
  staged.commit();
}

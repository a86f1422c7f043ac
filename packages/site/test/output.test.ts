import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, buildSiteToDisk, OUTPUTS_RECORD } from '../src/index.js';
import { cleanUpAfterDeadBuilds, stageOutput } from '../src/output.js';
import { startWriter } from '../src/writer.js';
import { makeSite, readTree } from './site-fixture.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function site(count: number): string {
  const root = makeSite(count);
  roots.push(root);
  return root;
}

describe('writing the output as it is made', () => {
  it('writes exactly the files an in-memory build returns', () => {
    const root = site(8);
    const memory = buildSite({ root, env: {}, diskCache: false, threads: 1 });
    const disk = buildSiteToDisk({ root, env: {}, diskCache: false, threads: 1 });
    expect(disk.files.map((f) => f.path)).toEqual(memory.files.map((f) => f.path));
    expect(disk.stats.files).toBe(memory.stats.files);
    const tree = readTree(path.join(root, 'dist'));
    // Nothing but the site: the record that the folder is Signet's stays in the site's .signet/.
    expect(tree.size).toBe(memory.files.length);
    expect(JSON.parse(readFileSync(path.join(root, OUTPUTS_RECORD), 'utf8'))).toEqual(['dist']);
    for (const file of memory.files) {
      const bytes = 'from' in file ? readFileSync(file.from, 'latin1') : Buffer.from(file.contents).toString('latin1');
      expect(tree.get(file.path.split('/').join(path.sep)), file.path).toBe(bytes);
    }
  });

  for (const [size, how] of [[6, 'on the build\'s thread'], [400, 'most of them on the writer thread']] as const) it(`leaves the previous output as it was when a build fails after writing files (${how})`, () => {
    const root = site(size);
    buildSiteToDisk({ root, env: {} });
    const before = readTree(path.join(root, 'dist'));
    // The extra file is copied last, after every page and feed has been written to the staging folder.
    const broken = { path: 'broken.js', from: path.join(root, 'missing.js') };
    expect(() => buildSiteToDisk({ root, env: {}, extraFiles: [broken] })).toThrow(/missing\.js/);
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    expect(readdirSync(root).filter((name) => name.includes('signet-staging'))).toEqual([]);
    expect(readdirSync(path.join(root, '.signet', 'cache')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    // The next good build still works, from the cache the failed one did not replace.
    rmSync(path.join(root, 'dist', 'feed.xml'));
    buildSiteToDisk({ root, env: {} });
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
  });

  it('writes a large site\'s files on a thread of their own, byte for byte', () => {
    const root = site(400);
    const memory = buildSite({ root, env: {}, diskCache: false, threads: 1 });
    buildSiteToDisk({ root, env: {}, diskCache: false, threads: 1 });
    const tree = readTree(path.join(root, 'dist'));
    expect(memory.files.length).toBeGreaterThan(300);
    for (const file of memory.files) {
      const bytes = 'from' in file ? readFileSync(file.from, 'latin1') : Buffer.from(file.contents).toString('latin1');
      expect(tree.get(file.path.split('/').join(path.sep)), file.path).toBe(bytes);
    }
  });

  it('writes text through memory shared with its thread, reusing it as files are written, byte for byte', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signet-writer-'));
    roots.push(dir);
    const writer = startWriter();
    // Several times the shared memory, in texts of every size up to one too large for it, with
    // characters of one to four UTF-8 bytes.
    const texts = Array.from({ length: 400 }, (_, i) => `${i} é 日本 🎉 `.repeat(1 + ((i * 7919) % 8000)));
    // A lone surrogate is written as U+FFFD, as on the build's thread.
    texts.push('x'.repeat(600_000), 'y', 'lone \ud800 surrogate \udc00 · 🎉');
    texts.forEach((text, i) => writer.write(path.join(dir, `${i % 7}`, `${i}.html`), text));
    const written = writer.close();
    expect(written.length).toBe(texts.length * 2);
    expect(texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0)).toBeGreaterThan(24 << 20);
    texts.forEach((text, i) => {
      expect(readFileSync(path.join(dir, `${i % 7}`, `${i}.html`)).equals(Buffer.from(text)), `file ${i}`).toBe(true);
      expect(written[i * 2]).toBe(Buffer.byteLength(text));
    });
  });

  it('writes files on this thread while the writer thread is behind, and records every file as written', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'signet-steal-'));
    roots.push(root);
    const out = path.join(root, 'dist');
    const staged = stageOutput(out, root);
    staged.expect(2000);
    // Made far faster than they can be written: the shared memory (8 MiB) fills many times over.
    const texts = Array.from({ length: 2000 }, (_, i) => `${i} é 日本 🎉 `.repeat(2000 + (i % 50)));
    texts.forEach((text, i) => staged.add({ path: `p/${i % 13}/${i}.html`, contents: text }));
    staged.commit();
    const written = staged.written();
    expect(written.length).toBe(texts.length);
    written.forEach(([file, size, mtime], i) => {
      const full = path.join(out, file);
      expect(file).toBe(`p/${i % 13}/${i}.html`);
      expect(readFileSync(full).equals(Buffer.from(texts[i]!)), file).toBe(true);
      expect([size, mtime], file).toEqual([statSync(full).size, statSync(full).mtimeMs]);
    });
    // The writer thread was started by `expect`: every file written here was one it was behind on.
    expect(staged.writtenHere()).toBeGreaterThan(0);
  });

  it('reports the first file the writer thread could not write, with its path and code', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signet-writer-'));
    roots.push(dir);
    writeFileSync(path.join(dir, 'taken'), 'a file where a folder is wanted');
    const writer = startWriter();
    writer.write(path.join(dir, 'ok', 'index.html'), 'fine');
    writer.write(path.join(dir, 'taken', 'index.html'), 'cannot be written');
    writer.write(path.join(dir, 'after', 'index.html'), new Uint8Array([104, 105]));
    let failure: (Error & { code?: string; path?: string }) | undefined;
    try {
      writer.close();
    } catch (error) {
      failure = error as Error & { code?: string; path?: string };
    }
    expect(failure?.code).toBe('EEXIST');
    expect(failure?.path).toBe(path.join(dir, 'taken', 'index.html'));
    expect(readFileSync(path.join(dir, 'ok', 'index.html'), 'utf8')).toBe('fine');
    // Nothing is written after the first failure.
    expect(readdirSync(dir).sort()).toEqual(['ok', 'taken']);
  });
});

describe('what a killed build left behind', () => {
  // The id of a process that has ended.
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
  const leftover = (root: string, kind: string, pid: number) => {
    const folder = path.join(root, `.dist.signet-${kind}-${pid}`);
    mkdirSync(path.join(folder, 'posts'), { recursive: true });
    writeFileSync(path.join(folder, 'index.html'), `${kind} ${pid}`);
    return folder;
  };

  it('the next build removes the staging and previous folders of builds that are not running', () => {
    const root = site(3);
    const dead = [leftover(root, 'staging', deadPid()), leftover(root, 'previous', deadPid()), leftover(root, 'staging', deadPid())];
    // A running process's folders may be a build at work: they stay.
    const running = leftover(root, 'staging', process.ppid);
    const other = path.join(root, '.dist.signet-notes');
    mkdirSync(other);
    buildSiteToDisk({ root, env: {} });
    for (const folder of dead) expect(existsSync(folder), folder).toBe(false);
    expect(existsSync(running)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(readdirSync(root).filter((name) => name.startsWith('.dist.')).sort()).toEqual(['.dist.signet-notes', `.dist.signet-staging-${process.ppid}`]);
  });

  it('a build killed between its two renames left no dist/: the previous output is put back', () => {
    const root = site(3);
    buildSiteToDisk({ root, env: {} });
    const before = readTree(path.join(root, 'dist'));
    const pid = deadPid();
    renameSync(path.join(root, 'dist'), path.join(root, `.dist.signet-previous-${pid}`));
    leftover(root, 'staging', pid);
    cleanUpAfterDeadBuilds(path.join(root, 'dist'), root);
    expect(readTree(path.join(root, 'dist'))).toEqual(before);
    expect(readdirSync(root).filter((name) => name.startsWith('.dist.'))).toEqual([]);
  });
});

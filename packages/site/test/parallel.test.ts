import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSite, buildSiteToDisk } from '../src/index.js';
import { finishJobs, runJobs, startJobs, threadCount } from '../src/parallel.js';
import { makeSite, post, readTree } from './site-fixture.js';

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
}, 60_000);

describe('worker threads', () => {
  it('start in a process run as `node --input-type=module -e`, whose options they do not take', () => {
    const root = makeSite(500);
    roots.push(root);
    // The built package, as `signet` loads it: its workers are files, which that option would break.
    const site = pathToFileURL(path.join(import.meta.dirname, '..', 'dist', 'index.js')).href;
    const script = `const { buildSiteToDisk } = await import(${JSON.stringify(site)});
      const result = buildSiteToDisk({ root: ${JSON.stringify(root)}, diskCache: false, env: {} });
      console.log(result.stats.files);`;
    // A worker that never started kept the build waiting for its 30 s stall limit and then some: the
    // child is stopped before that, so such a build fails here instead of finishing late.
    const files = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 25_000 });
    expect(Number(files)).toBeGreaterThan(500);
  }, 30_000);

  it('start in a process run with a V8 option a worker may not be given (`node --max-semi-space-size=4`)', () => {
    const root = makeSite(500);
    roots.push(root);
    const site = pathToFileURL(path.join(import.meta.dirname, '..', 'dist', 'index.js')).href;
    const script = `import(${JSON.stringify(site)}).then(({ buildSiteToDisk }) => console.log(buildSiteToDisk({ root: ${JSON.stringify(root)}, diskCache: false, threads: 2, env: {} }).stats.files));`;
    // Node refused the worker (ERR_WORKER_INVALID_EXEC_ARGV) and the build ended in a stack trace.
    const files = execFileSync(process.execPath, ['--max-semi-space-size=4', '-e', script], { encoding: 'utf8', timeout: 25_000 });
    expect(Number(files)).toBeGreaterThan(500);
  }, 30_000);
});

describe('parallel Markdown rendering', () => {
  it('gives a byte-identical site on two threads and on one', () => {
    const root = makeSite(1200);
    roots.push(root);
    // Some posts past Latin-1 and some only past ASCII: a worker hands each page's envelope JSON over
    // as UTF-16 or Latin-1 bytes.
    for (let i = 0; i < 1200; i += 7) writeFileSync(path.join(root, 'content/posts', `post-${i}.md`), post(i, i % 2 === 0 ? '\nCafé ☕ 日本 — “quoted”.\n' : '\nCafé, naïve.\n'));
    const env = {};
    const parallel = buildSiteToDisk({ root, outDir: path.join(root, 'out-parallel'), threads: 2, diskCache: false, env });
    const single = buildSiteToDisk({ root, outDir: path.join(root, 'out-single'), threads: 1, diskCache: false, env });
    // Left to choose, the build renders Markdown here and signs on the other core meanwhile.
    const auto = buildSiteToDisk({ root, outDir: path.join(root, 'out-auto'), diskCache: false, env });
    expect(parallel.stats.markdown).toMatchObject({ rendered: 1201, threads: 2 });
    expect(parallel.stats.markdown!.byWorkers).toBeGreaterThan(0);
    expect(single.stats.markdown).toEqual({ rendered: 1201, threads: 1, byWorkers: 0 });
    expect(auto.stats.markdown).toEqual({ rendered: 1201, threads: 1, byWorkers: 0 });
    const steps = (result: typeof auto) => result.stats.steps.map((step) => step.name).filter((name) => /markdown|sign/.test(name));
    expect(steps(auto)).toEqual(availableParallelism() > 1 ? ['markdown and sign'] : ['markdown', 'sign']);
    // Given threads, its layouts render on workers too, so it is made page by page (streamsPages): each
    // post is signed just ahead of its page, in the pages step, and its listing pages made with them.
    expect(steps(parallel)).toEqual(['markdown']);
    expect(steps(single)).toEqual(['markdown', 'sign']);
    const a = readTree(path.join(root, 'out-parallel'));
    const b = readTree(path.join(root, 'out-single'));
    const c = readTree(path.join(root, 'out-auto'));
    expect(a.size).toBe(b.size);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect([...c.keys()].sort()).toEqual([...b.keys()].sort());
    for (const [file, bytes] of a) expect(bytes, file).toBe(b.get(file));
    for (const [file, bytes] of c) expect(bytes, file).toBe(b.get(file));
    expect(Buffer.from(b.get(path.join('posts', 'post-14', 'index.html'))!, 'latin1').toString('utf8')).toContain('Café ☕ 日本');
  }, 120_000);

  it('keeps results in job order whichever thread rendered them', () => {
    const jobs = Array.from({ length: 900 }, (_, i) => ({ body: `# Title ${i}\n\n[x](./p${i}/)`, trustHtml: false, baseUrl: `https://x.example/${i}/` }));
    const { results, byWorkers } = runJobs('markdown', jobs, 2);
    expect(byWorkers).toBeGreaterThan(0);
    results.forEach((result, i) => {
      expect(result.html).toContain(`id="title-${i}">Title ${i}<`);
      expect(result.feedHtml).toContain(`href="https://x.example/${i}/p${i}/"`);
    });
  }, 60_000);

  it('keeps the results of jobs started together apart, whichever is finished first', () => {
    const jobs = (tag: string) => Array.from({ length: 500 }, (_, i) => ({ body: `# ${tag} ${i}`, trustHtml: false, baseUrl: `https://x.example/${i}/` }));
    const a = startJobs('markdown', jobs('a'), 2);
    const b = startJobs('markdown', jobs('b'), 2);
    // Give the worker time to reply to both, so replies to b arrive while a is being finished.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1500);
    const first = finishJobs(a);
    const second = finishJobs(b);
    expect(first.byWorkers + second.byWorkers).toBeGreaterThan(0);
    first.results.forEach((result, i) => expect(result.html).toContain(`>a ${i}<`));
    second.results.forEach((result, i) => expect(result.html).toContain(`>b ${i}<`));
  }, 60_000);

  it('reports the first bad file in file order, as one thread does, when workers read the content', () => {
    const root = makeSite(1000);
    roots.push(root);
    for (const i of [150, 850]) writeFileSync(path.join(root, 'content', 'posts', `post-${i}.md`), '---\ntitle: Bad\ndate: 2025-02-30\n---\n\nText.\n');
    const error = (threads: number) => {
      try {
        buildSite({ root, diskCache: false, env: {}, threads });
      } catch (caught) {
        return caught;
      }
      throw new Error('the build did not fail');
    };
    const single = error(1);
    expect(String(single)).toContain('2025-02-30');
    expect(error(2)).toEqual(single);
    expect((error(2) as { file?: string }).file).toBe('content/posts/post-150.md');
  }, 60_000);

  it('renders with the layouts as they are now, not as a worker saw them in an earlier build', () => {
    const root = makeSite(900);
    roots.push(root);
    mkdirSync(path.join(root, 'layouts'));
    const page = (mark: string) => {
      writeFileSync(path.join(root, 'layouts', 'post.liquid'), `<p>${mark}</p>{{ page.title }}`);
      const files = buildSite({ root, diskCache: false, env: {}, threads: 2 }).files;
      return files.filter((f) => f.path.startsWith('posts/')).map((f) => ('contents' in f ? String(f.contents) : ''));
    };
    expect(page('first').every((html) => html.startsWith('<p>first</p>'))).toBe(true);
    expect(page('second').every((html) => html.startsWith('<p>second</p>'))).toBe(true);
  }, 120_000);

  it('stays on the calling thread for small builds or when asked', () => {
    expect(threadCount(4, 10, 'markdown')).toBe(1);
    expect(threadCount(1, 100_000, 'markdown')).toBe(1);
    expect(threadCount(2, 100_000, 'markdown')).toBe(2);
    // Left to the build, cheap jobs stay on this thread until there are very many.
    expect(threadCount(2, 4000, 'layout')).toBe(2);
    expect(threadCount(undefined, 4000, 'layout')).toBe(1);
    expect(threadCount(undefined, 4000, 'entry')).toBe(1);
    expect(threadCount(undefined, 100_000, 'entry')).toBeGreaterThanOrEqual(Math.min(2, availableParallelism()));
    expect(threadCount(undefined, 4000, 'markdown')).toBe(1);
    expect(threadCount(undefined, 4000, 'sign')).toBe(Math.min(2, availableParallelism()));
    const root = makeSite(3);
    roots.push(root);
    expect(buildSite({ root, diskCache: false, env: {} }).stats.markdown).toEqual({ rendered: 4, threads: 1, byWorkers: 0 });
  });
});

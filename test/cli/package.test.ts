import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { MessageChannel, Worker } from 'node:worker_threads';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/site.js';

// What someone who never cloned this repository gets: the package `npm pack` makes of the command
// line, installed into an empty folder with no network, then `signet init` and `signet build` there.
// The folder is outside the repository, so nothing of the workspace can be found from it.

const npm = (args: string[], cwd: string) =>
  spawnSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8' });

let work: string;
let app: string;
let bin: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'signet-package-'));
  const packed = npm(['pack', '--json', '--pack-destination', work], path.join(REPO, 'packages/cli'));
  expect(packed.status, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string }[];
  app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), '{ "name": "app", "private": true }\n');
  // The package's one dependency, sharp (native), and what it needs on this platform are copied from
  // the workspace: an install with no network cannot fetch them, as a user's `npm install` does.
  const sharp = JSON.parse(readFileSync(path.join(REPO, 'node_modules/sharp/package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
  for (const name of ['sharp', ...Object.keys(sharp.dependencies ?? {}), ...Object.keys(sharp.optionalDependencies ?? {})]) {
    const from = path.join(REPO, 'node_modules', name);
    if (existsSync(from)) cpSync(from, path.join(app, 'node_modules', name), { recursive: true });
  }
  const installed = npm(['install', '--offline', path.join(work, info!.filename)], app);
  expect(installed.status, installed.stderr).toBe(0);
  bin = path.join(app, 'node_modules/.bin/signet');
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function signet(args: string[], cwd: string, env: Record<string, string> = {}) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.SIGNET_SIGNING_KEY;
  return spawnSync(process.execPath, [bin, ...args], { cwd, env: childEnv, encoding: 'utf8' });
}

describe('the published @signet/cli', () => {
  it('is public, named @signet/cli with the bin `signet`, and needs nothing but sharp installed', () => {
    const pkg = JSON.parse(readFileSync(path.join(app, 'node_modules/@signet/cli/package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.name).toBe('@signet/cli');
    expect(pkg.private).toBeUndefined();
    expect(Object.keys(pkg.bin as object)).toEqual(['signet']);
    // sharp alone: it is native, a prebuilt binary per platform, so it cannot be bundled.
    expect(Object.keys(pkg.dependencies as object)).toEqual(['sharp']);
    const sharp = JSON.parse(readFileSync(path.join(app, 'node_modules/sharp/package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    const allowed = new Set(['@signet', 'sharp', ...[...Object.keys(sharp.dependencies ?? {}), ...Object.keys(sharp.optionalDependencies ?? {})].map((name) => name.split('/')[0]!)]);
    expect(readdirSync(path.join(app, 'node_modules')).filter((name) => !name.startsWith('.') && !allowed.has(name))).toEqual([]);
    expect(readdirSync(path.join(app, 'node_modules/@signet'))).toEqual(['cli']);
    expect(signet(['--version'], app).stdout.trim()).toBe(pkg.version);
  });

  it('starts a site with `signet init --yes` and builds it, signed, with worker threads', () => {
    const init = signet(['init', 'my-site', '--yes'], app);
    expect(init.status, init.stderr).toBe(0);
    const site = path.join(app, 'my-site');
    // Enough posts for the worker threads (their scripts are bundled into the package too).
    for (let i = 0; i < 900; i++) {
      writeFileSync(path.join(site, 'content/posts', `post-${i}.md`), `---\ntitle: Post ${i}\ndate: 2026-01-01\ntags: [t${i % 7}]\n---\n\nWords *${i}*.\n`);
    }
    const build = signet(['build'], site, { SIGNET_THREADS: '2' });
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/^Built 901 posts/);
    expect(readFileSync(path.join(site, 'dist/posts/post-7/index.html'), 'utf8')).toContain('<em>7</em>');
    expect(readFileSync(path.join(site, 'dist/assets/signet.css'), 'utf8').length).toBeGreaterThan(100);
    expect(existsSync(path.join(site, 'dist/.well-known/did.json'))).toBe(true);
    expect(readFileSync(path.join(site, 'dist/feed.json'), 'utf8')).toContain('eddsa-jcs-2022');
  });

  it('publishes a photo without its metadata, in responsive copies, with the image worker from the package', async () => {
    const site = path.join(app, 'photo-site');
    expect(signet(['init', 'photo-site', '--yes'], app).status).toBe(0);
    mkdirSync(path.join(site, 'content/posts/walk'), { recursive: true });
    writeFileSync(path.join(site, 'content/posts/walk/index.md'), '---\ntitle: Walk\ndate: 2026-01-01\n---\n\n![The ridge](ridge.jpg)\n');
    // A JPEG whose EXIF names a camera.
    const { default: sharp } = await import('sharp');
    writeFileSync(path.join(site, 'content/posts/walk/ridge.jpg'), await sharp({ create: { width: 800, height: 600, channels: 3, background: '#c33' } }).jpeg().withExif({ IFD0: { Make: 'PhoneCo' } }).toBuffer());
    const build = signet(['build'], site);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/Images: 1 image published without metadata, 1 encoded; removed EXIF from 1 image/);
    expect(readFileSync(path.join(site, 'dist/posts/walk/ridge.jpg')).includes('PhoneCo')).toBe(false);
    expect(readFileSync(path.join(site, 'dist/posts/walk/index.html'), 'utf8')).toMatch(/<picture><source type="image\/avif" srcset="ridge\.[0-9a-f]{10}-480\.avif 480w, ridge\.[0-9a-f]{10}-800\.avif 800w"/);
  });

  it('holds the build\'s worker thread script, which loads and answers on its own', async () => {
    // A worker that fails to load is not fatal (the main thread does its jobs), so the build above
    // would not show it: the worker is started here as the build starts it, and given one job.
    const file = path.join(app, 'node_modules/@signet/cli/dist/bundle/site/dist/markdown-worker.js');
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(file, { workerData: { flag: new SharedArrayBuffer(4), port: port2 }, transferList: [port2] });
    try {
      const reply = await new Promise((resolve, reject) => {
        worker.on('error', reject);
        port1.on('message', resolve);
        worker.postMessage({ batch: 7, kind: 'markdown', jobs: [null], settings: null, counter: new SharedArrayBuffer(4) });
      });
      // The job is not a real one: its result comes back empty, for the main thread to redo.
      expect(reply).toEqual([7, [[0, null]]]);
    } finally {
      port1.close();
      await worker.terminate();
    }
  });

  it('starts its signing worker with the code cache made when it was built, and without it when the cache is damaged', async () => {
    const installed = path.join(app, 'node_modules/@signet/cli');
    const bundle = path.join(installed, 'dist/bundle/site/dist/markdown-worker.bundle.js');
    const cache = readFileSync(`${bundle}.cache`);
    // Both caches (the command's and its signing worker's) are V8's for these very bundles and this
    // Node: V8 takes them, in a process started as the command starts.
    const check = `import { readFileSync } from 'node:fs'; import vm from 'node:vm'; import { BUNDLE, loadBundle } from ${JSON.stringify(path.join(installed, 'bin/load.js'))};
      const worker = ${JSON.stringify(bundle)};
      const taken = new vm.Script(readFileSync(worker, 'latin1'), { filename: worker, cachedData: readFileSync(worker + '.cache') });
      console.log(JSON.stringify([BUNDLE, loadBundle().script.cachedDataRejected, taken.cachedDataRejected]));`;
    const checked = spawnSync(process.execPath, ['--input-type=module', '-e', check], { encoding: 'utf8' });
    expect(checked.status, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toEqual([path.join(installed, 'dist/bundle/signet.cjs'), false, false]);
    // A copy of the package whose cache is damaged: the worker compiles its bundle and signs as before.
    const copy = path.join(work, 'damaged-cli');
    cpSync(installed, copy, { recursive: true });
    writeFileSync(path.join(copy, 'dist/bundle/site/dist/markdown-worker.bundle.js.cache'), cache.subarray(0, 1000));
    const sign = async (file: string) => {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(file, { workerData: { flag: new SharedArrayBuffer(4), port: port2 }, transferList: [port2] });
      try {
        const item = { id: 'https://a.example/p/', url: 'https://a.example/p/', content_html: '<p>Hi.</p>', date_published: '2026-01-01T00:00:00Z', authors: [{ name: 'A' }] };
        const signing = { verificationMethod: 'did:web:a.example#k', seed: new Uint8Array(32).fill(3), identity: 'did:web:a.example#k' };
        return await new Promise<unknown>((resolve, reject) => {
          worker.on('error', reject);
          port1.on('message', resolve);
          worker.postMessage({ batch: 1, kind: 'sign', jobs: [item], settings: { signing }, counter: new SharedArrayBuffer(4) });
        });
      } finally {
        port1.close();
        await worker.terminate();
      }
    };
    const fromCache = (await sign(path.join(installed, 'dist/bundle/site/dist/markdown-worker.js'))) as [number, [number, { proof: { proofValue: string } }][]];
    const compiled = (await sign(path.join(copy, 'dist/bundle/site/dist/markdown-worker.js'))) as typeof fromCache;
    expect(fromCache[1][0]![1].proof.proofValue).toMatch(/^z[1-9A-HJ-NP-Za-km-z]{80,}$/);
    expect(compiled).toEqual(fromCache);
  });

  it('serves the dev server\'s browser script from the package', async () => {
    const site = path.join(app, 'dev-site');
    expect(signet(['init', 'dev-site', '--yes'], app).status).toBe(0);
    const env = { ...process.env };
    delete env.SIGNET_SIGNING_KEY;
    const child = spawn(process.execPath, [bin, 'dev', '--port', '0'], { cwd: site, env });
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      let url: string | undefined;
      for (let waited = 0; !url && waited < 60_000; waited += 50) {
        url = /Serving \. at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1];
        if (!url) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(url, output).toBeDefined();
      const script = await fetch(new URL('__signet/client.js', url));
      expect(script.status).toBe(200);
      expect(await script.text()).toBe(readFileSync(path.join(REPO, 'packages/dev-server/assets/client.js'), 'utf8'));
    } finally {
      child.kill('SIGINT');
      await new Promise((resolve) => child.on('exit', resolve));
    }
  });
});

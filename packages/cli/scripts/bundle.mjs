// Bundles the command line (dist/, as tsc wrote it, with the workspace packages it imports) into
// dist/bundle/signet.cjs, then makes its V8 code cache (signet.cjs.cache) by building a small site
// with it. Loading ~300 small modules one by one took ~190 ms of every `signet build`, more than a
// third of a 4,000-post build's own work on one core; one file loads in ~50 ms, and with the code
// cache V8 neither parses it nor compiles again the functions a build runs (bin/load.js).
//
// CommonJS, because Node 20 takes a code cache only for a script (`vm.Script`), not an ES module.
// Commands stay lazy: each is set up only when `main` runs it. esbuild's `define` replaces each
// module's `import.meta.url` (the expression only, never the same words inside a string, such as a
// script meant for a browser) by a URL inside dist/bundle/: `site/dist/parallel.js` for
// packages/site/dist/parallel.js. What a package finds beside itself is put there too, so the
// published package holds everything it runs and nothing outside it is read:
// - the folders its package.json ships besides dist/ (the theme's layouts and assets, the dev
//   server's browser script), copied to dist/bundle/<package>/;
// - the scripts it starts as worker threads (`startWorker(new URL('…', import.meta.url))`), bundled
//   the same way, each to the place its URL names. They are CommonJS (a package.json beside them
//   says so), like the main bundle.
// The command line's own files keep their place in the package (main.js finds ../package.json).
//
// Libraries only some commands use (`follow` and `fetch`, `import twitter`, `email`) get a bundle
// each in dist/bundle/vendor/, required when a command first calls them: undici alone was a quarter
// of the bundle, and every command, `signet build` included, paid to read and deserialise it. They
// are third-party code with no class of ours inside, so no second copy of a workspace package arises.
//
// A module-wide `const require = createRequire(import.meta.url)` is dropped: its `require('…')`
// calls then go to esbuild, which bundles the package and runs it on the first call, as before. Left
// in place, `require` would load a second, unbundled copy of a workspace package, whose classes
// (SignetError) the bundled copy would not recognise.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { build, transform } from 'esbuild';
import { BUNDLE, CODE_CACHE, loadBundle, WRAPPER_END, WRAPPER_START } from '../bin/load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..');
const workspace = path.resolve(cli, '..');
const outdir = path.dirname(BUNDLE);
const REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;
const WORKER = /Worker\(new URL\((['"])([^'"]+)\1, import\.meta\.url\)/g;

/** Where a bundled module's `import.meta.url` points, relative to dist/bundle/. */
function bundledPath(file) {
  const inside = (dir) => !path.relative(dir, file).startsWith('..');
  if (inside(cli)) return path.relative(outdir, file);
  if (inside(workspace)) return path.relative(workspace, file);
  throw new Error(`${file} reads import.meta.url but is not a workspace package: the published command line would not hold what it looks for`);
}

/** Workspace package folders whose modules went into a bundle, and the worker scripts they start. */
const packages = new Set();
const workers = new Set();

/** @type {import('esbuild').Plugin} */
const bundledUrls = {
  name: 'bundled-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const relative = path.relative(workspace, args.path);
      if (!relative.startsWith('..') && !relative.includes('node_modules')) packages.add(relative.split(path.sep)[0]);
      if (!source.includes('import.meta.url')) return undefined;
      for (const [, , url] of source.matchAll(WORKER)) workers.add(path.resolve(path.dirname(args.path), url));
      const url = bundledPath(args.path).split(path.sep).join('/');
      const { code } = await transform(source.replace(REQUIRE, ''), { loader: 'js', format: 'esm', define: { 'import.meta.url': '__signetModuleUrl' } });
      const contents = `const __signetModuleUrl = new URL(${JSON.stringify(url)}, __signetBundleUrl).href;\n${code}`;
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

const VENDORED = [
  { name: 'undici', from: 'network' },
  { name: 'feedsmith', from: 'network' },
  { name: 'htmlparser2', from: 'network' },
  { name: 'ipaddr.js', from: 'network' },
  { name: 'microformats-parser', from: 'network' },
  { name: 'yauzl', from: 'import-twitter' },
  { name: 'nodemailer', from: 'email' },
  { name: 'juice', from: 'email' },
  { name: 'html-to-text', from: 'email' },
  { name: 'csv-parse/sync', from: 'email' },
];
const VENDOR = path.join(outdir, 'vendor');
const vendorFile = (/** @type {string} */ name) => path.join(VENDOR, `${name.replace(/[^\w-]/g, '-')}.cjs`);

/** Each vendored library, as a path relative to the bundle `outfile` (a `require` there finds it). */
const vendored = (/** @type {string} */ outfile) => ({
  name: 'vendored',
  setup(/** @type {import('esbuild').PluginBuild} */ build) {
    const names = new Set(VENDORED.map((v) => v.name));
    build.onResolve({ filter: /^[\w.-]+(?:\/[\w.-]+)?$/ }, (args) => {
      if (!names.has(args.path)) return undefined;
      const relative = path.relative(path.dirname(outfile), vendorFile(args.path)).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
});

// Without comments and indentation the bundle is a third smaller, and V8 reads, hashes and
// deserialises its code cache in proportion to the source's length.
// sharp is native (a prebuilt binary per platform): never bundled, it is the package's one dependency,
// loaded from node_modules by the images worker when a site has an image.
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', minifyWhitespace: true, logLevel: 'warning', external: ['sharp'] };

await rm(outdir, { recursive: true, force: true });
for (const { name, from } of VENDORED) {
  await build({
    ...common,
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: path.join(workspace, from), loader: 'js' },
    outfile: vendorFile(name),
  });
}
await build({
  ...common,
  entryPoints: [path.join(cli, 'dist', 'index.js')],
  outfile: BUNDLE,
  plugins: [bundledUrls, vendored(BUNDLE)],
  banner: { js: "const __signetBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// Each worker script is bundled beside the place its URL names (`<name>.bundle.js`), and that place
// gets a two-line script loading the bundle with its code cache (bin/load-script.cjs).
const workerBundles = [];
for (const worker of workers) {
  const stub = path.join(outdir, bundledPath(worker));
  const outfile = stub.replace(/\.js$/, '.bundle.js');
  const up = path.relative(path.dirname(outfile), BUNDLE).split(path.sep).join('/');
  await build({
    ...common,
    entryPoints: [worker],
    outfile,
    plugins: [bundledUrls, vendored(outfile)],
    banner: { js: `const __signetBundleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(up)})).href;` },
  });
  const loader = path.relative(path.dirname(stub), path.join(cli, 'bin', 'load-script.cjs')).split(path.sep).join('/');
  writeFileSync(stub, `'use strict';\nrequire(${JSON.stringify(loader)}).loadWorker(require('node:path').join(__dirname, ${JSON.stringify(path.basename(outfile))}));\n`);
  writeFileSync(path.join(path.dirname(outfile), 'package.json'), '{ "type": "commonjs" }\n');
  workerBundles.push({ stub, outfile });
}
for (const name of packages) {
  if (name === path.basename(cli)) continue;
  const { files = [] } = JSON.parse(readFileSync(path.join(workspace, name, 'package.json'), 'utf8'));
  for (const shipped of files) {
    const from = path.join(workspace, name, shipped);
    if (shipped !== 'dist' && existsSync(from)) cpSync(from, path.join(outdir, name, shipped), { recursive: true });
  }
}

// One non-ASCII character (a regular expression's `ẞ`, a quote in a string) makes Node decode the whole
// file as UTF-8 and V8 keep it as a two-byte string: ~35 ms on every command. Written as \u escapes,
// which mean the same in strings, regular expressions, templates and identifiers, it stays one byte
// a character. The file holds Node's CommonJS wrapper too (see bin/load.js), so that the source V8
// compiles is the file's text as read, not a second string made by joining it to the wrapper.
for (const file of [BUNDLE, ...workerBundles.map((w) => w.outfile)]) {
  const code = asciiOnly(await readFile(file, 'utf8'));
  writeFileSync(file, `${WRAPPER_START}${code}${WRAPPER_END}`);
}

// The code cache holds what V8 compiled while the bundle ran: a build of a small site (on this
// thread, with the Markdown, signing and layout paths a real one takes), written nowhere it stays.
const site = mkdtempSync(path.join(tmpdir(), 'signet-code-cache-'));
try {
  writeFileSync(path.join(site, 'signet.config.yaml'), 'title: Cache\nurl: https://cache.example/\nauthor: Cache\n');
  mkdirSync(path.join(site, 'content', 'posts'), { recursive: true });
  const rich = '## Part\n\n- a *list* with `code`\n\n```js\nconst a = 1;\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nA note[^1] and [a link](/x/).\n\n[^1]: The note.\n';
  // Fewer posts than the build command's LATE_TIERING_FROM: the caches are made under V8's own flags,
  // as a command starts under them.
  for (let i = 0; i < 300; i++) {
    const body = i % 2 === 0 ? 'Plain words in a paragraph.\n\nAnd another one.\n' : rich;
    writeFileSync(path.join(site, 'content', 'posts', `post-${i}.md`), `---\ntitle: Post ${i}\ndate: 2026-01-01T${String(i % 24).padStart(2, '0')}:00:00Z\ntags: [a, b${i % 5}]\n---\n\n${body}`);
  }
  const { exports, script } = loadBundle({ useCache: false });
  const quiet = { out: () => {}, err: () => {}, cwd: site, env: {} };
  const code = await exports.main(['build', '--root', site, '--out', path.join(site, 'dist')], quiet);
  if (code !== 0) throw new Error(`the build that makes the code cache failed (exit code ${code})`);
  writeFileSync(CODE_CACHE, script.createCachedData());
} finally {
  rmSync(site, { recursive: true, force: true });
}

// The signing worker's code cache, made the same way: the worker signs a few posts, as it does in
// every build of more than a few hundred (jobs as site/src/parallel.ts sends them), then writes what
// V8 compiled. Only signing: V8 reads a whole cache at start, and Markdown goes to workers only on
// sites of tens of thousands of posts, where compiling it is a small part of the work (a cache with
// it was three times the size and the worker started ~10 ms later). The other workers' bundles are
// small (the writer) or run only for images: they load without one.
const signer = workerBundles.find((w) => path.basename(w.stub) === 'markdown-worker.js');
if (!signer) throw new Error('no markdown-worker.js among the bundled worker scripts');
await makeWorkerCache(signer.stub, {
  kind: 'sign',
  settings: { signing: { verificationMethod: 'did:web:cache.example#cache', seed: new Uint8Array(32).fill(7), identity: 'did:web:cache.example#cache', pageJson: true } },
  jobs: Array.from({ length: 200 }, (_, i) => ({ id: `https://cache.example/posts/${i}/`, url: `https://cache.example/posts/${i}/`, content_html: `<p>Post ${i} — “quoted”.</p>\n`, date_published: '2026-01-01T00:00:00Z', authors: [{ name: 'Cache' }], language: 'en', title: `Post ${i}`, tags: ['a', 'b'] })),
});

/**
 * Starts the worker script `stub`, gives it one batch of jobs, waits for all their results, then has
 * it write its code cache beside its bundle (see bin/load-script.cjs).
 * @param {string} stub
 * @param {{ kind: string, settings: object, jobs: unknown[] }} batch
 */
async function makeWorkerCache(stub, { kind, settings, jobs }) {
  const replies = new MessageChannel();
  const cache = new MessageChannel();
  const flag = new SharedArrayBuffer(4);
  const worker = new Worker(stub, { workerData: { flag, port: replies.port2, codeCache: { port: cache.port2 } }, transferList: [replies.port2, cache.port2] });
  try {
    let results = 0;
    await new Promise((resolve, reject) => {
      worker.once('error', reject);
      replies.port1.on('message', ([, done]) => {
        if (done.some(([, result]) => result === null)) reject(new Error(`a ${kind} job failed in the worker while making its code cache`));
        results += done.length;
        if (results === jobs.length) resolve(undefined);
      });
      worker.postMessage({ batch: 0, kind, jobs, settings, counter: new SharedArrayBuffer(4) });
    });
    await new Promise((resolve) => {
      cache.port1.once('message', resolve);
      cache.port1.postMessage('write');
    });
  } finally {
    replies.port1.close();
    cache.port1.close();
    await worker.terminate();
  }
}

/** @param {string} code */
function asciiOnly(code) {
  return code.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

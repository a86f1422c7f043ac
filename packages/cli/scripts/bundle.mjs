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
// - the scripts it starts as worker threads (`new Worker(new URL('…', import.meta.url))`), bundled
//   the same way, each to the place its URL names. They are CommonJS (a package.json beside them
//   says so), like the main bundle.
// The command line's own files keep their place in the package (main.js finds ../package.json).
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
import { build, transform } from 'esbuild';
import { BUNDLE, CODE_CACHE, loadBundle } from '../bin/load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '..');
const workspace = path.resolve(cli, '..');
const outdir = path.dirname(BUNDLE);
const REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;
const WORKER = /new Worker\(new URL\((['"])([^'"]+)\1, import\.meta\.url\)/g;

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

const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', plugins: [bundledUrls], logLevel: 'warning' };

await rm(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: [path.join(cli, 'dist', 'index.js')],
  outfile: BUNDLE,
  banner: { js: "const __signetBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
for (const worker of workers) {
  const outfile = path.join(outdir, bundledPath(worker));
  const up = path.relative(path.dirname(outfile), BUNDLE).split(path.sep).join('/');
  await build({
    ...common,
    entryPoints: [worker],
    outfile,
    banner: { js: `const __signetBundleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(up)})).href;` },
  });
  writeFileSync(path.join(path.dirname(outfile), 'package.json'), '{ "type": "commonjs" }\n');
}
for (const name of packages) {
  if (name === path.basename(cli)) continue;
  const { files = [] } = JSON.parse(readFileSync(path.join(workspace, name, 'package.json'), 'utf8'));
  for (const shipped of files) {
    const from = path.join(workspace, name, shipped);
    if (shipped !== 'dist' && existsSync(from)) cpSync(from, path.join(outdir, name, shipped), { recursive: true });
  }
}

// The code cache holds what V8 compiled while the bundle ran: a build of a small site (on this
// thread, with the Markdown, signing and layout paths a real one takes), written nowhere it stays.
const site = mkdtempSync(path.join(tmpdir(), 'signet-code-cache-'));
try {
  writeFileSync(path.join(site, 'signet.config.yaml'), 'title: Cache\nurl: https://cache.example/\nauthor: Cache\n');
  mkdirSync(path.join(site, 'content', 'posts'), { recursive: true });
  const rich = '## Part\n\n- a *list* with `code`\n\n```js\nconst a = 1;\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nA note[^1] and [a link](/x/).\n\n[^1]: The note.\n';
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

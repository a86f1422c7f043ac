// Bundles the command line (dist/, as tsc wrote it, with the workspace packages it imports) into
// dist/bundle/signet.cjs, then makes its V8 code cache (signet.cjs.cache) by building a small site
// with it. Loading ~300 small modules one by one took ~190 ms of every `signet build`, more than a
// third of a 4,000-post build's own work on one core; one file loads in ~50 ms, and with the code
// cache V8 neither parses it nor compiles again the functions a build runs (bin/load.js).
//
// CommonJS, because Node 20 takes a code cache only for a script (`vm.Script`), not an ES module.
// Commands stay lazy: each is set up only when `main` runs it. Each module's `import.meta.url` is
// replaced by the URL of the file it came from, so what a package finds beside itself (the theme's
// layouts, a worker's script, the packages `require` resolves, its own package.json) is found as it
// is without the bundle. esbuild's `define` makes that replacement, so only the expression in the
// code changes, never the same words inside a string (such as a script meant for a browser).
//
// A module-wide `const require = createRequire(import.meta.url)` is dropped: its `require('…')`
// calls then go to esbuild, which bundles the package and runs it on the first call, as before. Left
// in place, `require` would load a second, unbundled copy of a workspace package, whose classes
// (SignetError) the bundled copy would not recognise.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import { BUNDLE, CODE_CACHE, loadBundle, WRAPPER_END, WRAPPER_START } from '../bin/load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.dirname(BUNDLE);
const REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;

/** @type {import('esbuild').Plugin} */
const originalUrls = {
  name: 'original-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      const { code } = await transform(source.replace(REQUIRE, ''), { loader: 'js', format: 'esm', define: { 'import.meta.url': '__signetModuleUrl' } });
      const contents = `const __signetModuleUrl = new URL(${JSON.stringify(relative)}, __signetBundleUrl).href;\n${code}`;
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

// Libraries only some commands use (`follow` and `fetch`, `import twitter`) get a bundle each in
// dist/bundle/vendor/, required when a command first calls them: undici alone was a quarter of the
// bundle, and every command, `signet build` included, paid to read and deserialise it. They are
// third-party code with no class of ours inside, so a second copy of a workspace package cannot arise.
const VENDORED = [
  { name: 'undici', from: 'network' },
  { name: 'feedsmith', from: 'network' },
  { name: 'htmlparser2', from: 'network' },
  { name: 'ipaddr.js', from: 'network' },
  { name: 'yauzl', from: 'import-twitter' },
];
const vendorFile = (/** @type {string} */ name) => `vendor/${name.replace(/\W/g, '-')}.cjs`;

/** @type {import('esbuild').Plugin} */
const vendored = {
  name: 'vendored',
  setup(build) {
    const names = new Set(VENDORED.map((v) => v.name));
    build.onResolve({ filter: /^[\w.-]+$/ }, (args) => (names.has(args.path) ? { path: `./${vendorFile(args.path)}`, external: true } : undefined));
  },
};

await rm(outdir, { recursive: true, force: true });
for (const { name, from } of VENDORED) {
  await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});`, resolveDir: path.join(here, '..', '..', from), loader: 'js' },
    outfile: path.join(outdir, vendorFile(name)),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifyWhitespace: true,
    logLevel: 'warning',
  });
}
await build({
  entryPoints: [path.join(here, '..', 'dist', 'index.js')],
  outfile: BUNDLE,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  banner: { js: "const __signetBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [originalUrls, vendored],
  // Without comments and indentation the bundle is a third smaller, and V8 reads, hashes and
  // deserialises its code cache in proportion to the source's length.
  minifyWhitespace: true,
  // Loaded from node_modules when `signet email` runs, so the other commands never parse nodemailer or juice.
  external: ['@signet/email'],
  logLevel: 'warning',
});

// One non-ASCII character (a regular expression's `ẞ`, a quote in a string) makes Node decode the whole
// file as UTF-8 and V8 keep it as a two-byte string: ~35 ms on every command. Written as \u escapes,
// which mean the same in strings, regular expressions, templates and identifiers, it stays one byte
// a character. The file holds Node's CommonJS wrapper too (see bin/load.js), so that the source V8
// compiles is the file's text as read, not a second string made by joining it to the wrapper.
const code = asciiOnly(await readFile(BUNDLE, 'utf8'));
writeFileSync(BUNDLE, `${WRAPPER_START}${code}${WRAPPER_END}`);

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

/** @param {string} code */
function asciiOnly(code) {
  return code.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

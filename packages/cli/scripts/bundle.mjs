// Bundles the command line (dist/, as tsc wrote it, with the workspace packages it imports) into
// dist/bundle/. Loading ~300 small modules one by one took ~190 ms of every `signet build`, more than
// a third of a 4,000-post build's own work on one core; one file loads in ~50 ms.
//
// Each module's `import.meta.url` is replaced by the URL of the file it came from, so what a package
// finds beside itself (the theme's layouts, a worker's script, the packages `require` resolves, its
// own package.json) is found as it is without the bundle. Commands stay in chunks of their own
// (`import()` in main.ts), loaded only when run.
//
// A module-wide `const require = createRequire(import.meta.url)` is dropped: its `require('…')`
// calls then go to esbuild, which bundles the package and runs it on the first call, as before. Left
// in place, `require` would load a second, unbundled copy of a workspace package, whose classes
// (SignetError) the bundled copy would not recognise.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, '..', 'dist', 'bundle');
const REQUIRE = /^const require = createRequire\(import\.meta\.url\);$/m;

/** @type {import('esbuild').Plugin} */
const originalUrls = {
  name: 'original-urls',
  setup(build) {
    build.onLoad({ filter: /\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const relative = path.relative(outdir, args.path).split(path.sep).join('/');
      const url = `new URL(${JSON.stringify(relative)}, import.meta.url).href`;
      return { contents: source.replace(REQUIRE, '').replaceAll('import.meta.url', url), loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

await rm(outdir, { recursive: true, force: true });
await build({
  entryPoints: { index: path.join(here, '..', 'dist', 'index.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Bundled CommonJS packages call `require` for Node's own modules.
  banner: { js: "import { createRequire as __signetCreateRequire } from 'node:module'; const require = __signetCreateRequire(import.meta.url);" },
  plugins: [originalUrls],
  logLevel: 'warning',
});

import { SignetError } from '@signet/config';
import type { Entry } from '@signet/content';
import { didDocumentPath } from '@signet/sign';
import { theme } from '../lazy.js';
import { perBuild } from '../reuse.js';
import type { OutputFile } from '../output.js';
import { tagsOf, type Context } from './context.js';

const FEEDS: [string, string][] = [['feed.xml', 'RSS feed'], ['atom.xml', 'Atom feed'], ['feed.json', 'JSON Feed']];

/** Every file the build makes itself (besides posts and pages), each with what it is. */
function generatedFiles(ctx: Context, extraFiles: OutputFile[]): Map<string, string> {
  const { config, content } = ctx;
  const files = new Map<string, string>();
  const listing = (dir: string, posts: number, what: string) => {
    files.set(`${dir}index.html`, what);
    for (let page = 2; page <= Math.ceil(posts / config.postsPerPage); page++) files.set(`${dir}page/${page}/index.html`, `page ${page} of ${what}`);
  };
  listing('', content.posts.length, 'the home page');
  for (const [name, what] of FEEDS) files.set(name, `the site's ${what}`);
  files.set('tags/index.html', 'the list of tags');
  files.set('archive/index.html', 'the archive of every post by year');
  for (const tag of tagsOf(ctx)) {
    listing(`tags/${tag.slug}/`, tag.posts.length, `the page of the tag #${tag.name}`);
    for (const [name, what] of FEEDS) files.set(`tags/${tag.slug}/${name}`, `the ${what} of the tag #${tag.name}`);
  }
  files.set('404.html', 'the "not found" page');
  files.set('sitemap.xml', 'the sitemap');
  files.set('robots.txt', 'robots.txt');
  files.set('_headers', 'the HTTP headers file');
  files.set(didDocumentPath(config.url), 'the DID document with the site\'s public keys');
  if (config.fundingManifest) files.set('funding.json', 'the funding manifest (`fundingManifest:` in the config)');
  for (const asset of theme().themeAssets()) files.set(asset.outputPath, 'a file of the theme');
  for (const file of extraFiles) files.set(file.path, 'a file of the theme');
  return files;
}

/**
 * Refuses a post or page whose URL is one the build makes itself (`permalink: /feed.xml`, `/`,
 * `/tags/meta/`), or would need one of those files to be a folder (`/_headers/`), naming both, as two
 * posts wanting one URL are. The home introduction is the home page's by design.
 */
export function checkGeneratedUrls(ctx: Context, extraFiles: OutputFile[]): void {
  const known = checkedOf(ctx, extraFiles);
  let files: Map<string, string> | undefined;
  const taken = (output: string): [string, string] | undefined => {
    files ??= generatedFiles(ctx, extraFiles);
    const what = files.get(output);
    if (what !== undefined) return [output, what];
    for (let at = output.indexOf('/'); at !== -1; at = output.indexOf('/', at + 1)) {
      const file = output.slice(0, at);
      const inside = files.get(file);
      if (inside !== undefined) return [file, inside];
    }
    return undefined;
  };
  const check = (entry: Entry) => {
    if (known.has(entry)) return;
    const hit = taken(entry.outputPath);
    if (hit === undefined) return void known.add(entry);
    throw new SignetError(`its URL ${entry.urlPath} would replace ${ctx.config.dirs.out}/${hit[0]}, ${hit[1]}, which the build makes itself`, {
      file: entry.source,
      hint: 'Give it another `permalink` or `slug` in its front matter.',
    });
  };
  for (const post of ctx.content.posts) check(post);
  for (const page of ctx.content.pages) check(page);
}

/**
 * The entries found clear of the generated files, while the build makes the same ones: a rebuild of
 * `signet dev` checks only the entries that changed. (Listing every generated path and looking up
 * each entry's cost a 10,000-post rebuild ~10 ms.) What decides the generated paths is the key.
 */
const checked = perBuild<{ key: string; entries: WeakSet<Entry> }>();

function checkedOf(ctx: Context, extraFiles: OutputFile[]): WeakSet<Entry> {
  const { config, content } = ctx;
  const key = JSON.stringify([
    config.url, config.postsPerPage, config.fundingManifest ? 1 : 0, content.posts.length,
    tagsOf(ctx).map((tag) => `${tag.slug} ${tag.posts.length}`), theme().themeAssets().map((asset) => asset.outputPath), extraFiles.map((file) => file.path),
  ]);
  const carried = checked.begin(ctx.cache);
  const known = carried.get('generated');
  if (known?.key === key) return known.entries;
  const fresh = { key, entries: new WeakSet<Entry>() };
  carried.set('generated', fresh);
  return fresh.entries;
}

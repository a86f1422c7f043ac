import { readFileSync } from 'node:fs';
import { createDidDocument, didDocumentPath } from '@signet/sign';
import { writeHeaders, writeRobots } from '../seo.js';
import type { Context } from './context.js';
import { fundingJson } from '../funding-json.js';

/**
 * Site files a user may also write: theirs is published with Signet's part added, never replaced by it
 * nor replacing it (the CORS rules of `_headers` are what lets verifiers read did.json and the feeds).
 */
export const MERGED_FILES = new Set(['_headers', 'robots.txt']);

export function renderSiteFiles(ctx: Context): void {
  const { config } = ctx;
  ctx.out.add({ path: 'sitemap.xml', contents: ctx.derive.sitemap([...ctx.sitemap, ...ctx.listingSitemap]) });
  const sitemapUrl = ctx.urls.absolute('sitemap.xml');
  const robots = usersFile(ctx, 'robots.txt');
  ctx.out.add({ path: 'robots.txt', contents: robots === undefined ? writeRobots(sitemapUrl) : withSitemap(robots, sitemapUrl) });
  if (ctx.urls.base !== '/') {
    ctx.notes.push({
      file: 'signet.config.yaml',
      message: `robots.txt is published at ${ctx.urls.absolute('robots.txt')}, but crawlers read it only at the domain's root (${new URL('/robots.txt', config.url).href}), which a site at a sub-path cannot serve: to have the sitemap found, add "Sitemap: ${sitemapUrl}" to the robots.txt at the domain's root`,
    });
  }
  const didPath = didDocumentPath(config.url);
  ctx.out.add({ path: didPath, contents: `${JSON.stringify(createDidDocument(ctx.did, ctx.key.registry.keys, { alsoKnownAs: config.author.me, funding: config.funding }), null, 2)}\n` });
  if (config.fundingManifest) ctx.out.add({ path: 'funding.json', contents: fundingJson(ctx) });
  const feedPaths = ctx.out.paths.filter((p) => /(^|\/)(feed\.xml|atom\.xml|feed\.json)$/.test(p)).map((p) => ctx.urls.link(p));
  const headers = writeHeaders([ctx.urls.link(didPath), ...feedPaths]);
  const own = usersFile(ctx, '_headers');
  // Rules for the same path from two blocks are combined by Netlify and Cloudflare Pages.
  ctx.out.add({ path: '_headers', contents: own === undefined ? headers : `${own.trimEnd()}\n\n# Added by Signet: verifiers in other sites' pages read the key document and the feeds.\n${headers}` });
}

/** The text of a file the user publishes at `outputPath` (from `static/` or `content/`), if any. */
function usersFile(ctx: Context, outputPath: string): string | undefined {
  const asset = ctx.content.assets.find((a) => a.outputPath === outputPath);
  return asset && readFileSync(asset.file, 'utf8');
}

/** The user's robots.txt, with the sitemap named when it names none. */
function withSitemap(robots: string, sitemapUrl: string): string {
  // Spaces and tabs only: `\s*` also crossed lines, and from every line start that was quadratic.
  if (/^[ \t]*sitemap[ \t]*:/im.test(robots)) return robots;
  return `${robots.trimEnd()}\n\nSitemap: ${sitemapUrl}\n`;
}

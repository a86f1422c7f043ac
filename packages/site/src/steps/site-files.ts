import { createDidDocument, didDocumentPath } from '@signet/sign';
import { writeHeaders, writeRobots } from '../seo.js';
import type { Context } from './context.js';

export function renderSiteFiles(ctx: Context): void {
  const { config } = ctx;
  ctx.out.add({ path: 'sitemap.xml', contents: ctx.derive.sitemap([...ctx.sitemap, ...ctx.listingSitemap]) });
  ctx.out.add({ path: 'robots.txt', contents: writeRobots(ctx.urls.absolute('sitemap.xml')) });
  const didPath = didDocumentPath(config.url);
  ctx.out.add({ path: didPath, contents: `${JSON.stringify(createDidDocument(ctx.did, ctx.key.registry.keys), null, 2)}\n` });
  const feedPaths = ctx.out.paths.filter((p) => /(^|\/)(feed\.xml|atom\.xml|feed\.json)$/.test(p)).map((p) => ctx.urls.link(p));
  ctx.out.add({ path: '_headers', contents: writeHeaders([ctx.urls.link(didPath), ...feedPaths]) });
}


/**
 * Tombstones: a post that sent Webmentions and was then deleted gets a small page at its old address
 * saying so, with no link to what it mentioned. Its receivers, told of the deletion by the next
 * `signet webmention send`, read the source again and find the link gone (Webmention §3.2.2). The list
 * is the Webmention ledger's (`.signet/webmention/ledger.json`): a site that never sent a Webmention
 * pays one file check.
 */
import { tombstonePaths } from '@signet/webmention/ledger';
import { signatureOf } from '../memo.js';
import { feedLinks } from '../view.js';
import type { Context } from './context.js';
import { emitLayout, renderLayouts } from './emit.js';

export function renderTombstones(ctx: Context): void {
  const paths = tombstonePaths(ctx.config.root);
  if (paths.length === 0) return;
  const made = new Set(ctx.out.paths);
  for (const asset of ctx.content.assets) made.add(asset.outputPath);
  let emitted = 0;
  for (const urlPath of paths) {
    if (urlPath === '') continue;
    const outputPath = urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath.endsWith('.html') ? urlPath : `${urlPath}/index.html`;
    // The post is back, or another page or file took its address: that one is published instead.
    if (made.has(outputPath)) continue;
    made.add(outputPath);
    const page = { kind: 'gone', gone: true, title: ctx.site.strings.gone, url: ctx.urls.absolute(`/${urlPath}`), feeds: feedLinks(ctx.config.title, ctx.site.feeds) };
    emitLayout(ctx, outputPath, signatureOf(ctx.siteSignature, 'gone', outputPath), 'gone', () => ({ site: ctx.site, page }));
    emitted += 1;
  }
  if (emitted > 0) renderLayouts(ctx);
}

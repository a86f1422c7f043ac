import path from 'node:path';
import { SignetError } from '@signet/config';
import { theme } from '../lazy.js';
import type { OutputFile } from '../output.js';
import type { Context } from './context.js';
import { addImage, isPreparedImage } from './images.js';
import { MERGED_FILES } from './site-files.js';

/**
 * The theme's files, then the site's own (which may replace the theme's stylesheet), then the
 * caller's extra files. A file of the site's that would replace one the build made is an error.
 */
export function addAssets(ctx: Context, extraFiles: OutputFile[]): void {
  for (const asset of theme().themeAssets()) ctx.out.add({ path: asset.outputPath, from: asset.file });
  checkClashes(ctx);
  for (const asset of ctx.content.assets) {
    if (isPreparedImage(ctx, asset)) addImage(ctx, asset);
    else if (!MERGED_FILES.has(asset.outputPath)) ctx.out.add({ path: asset.outputPath, from: asset.file });
  }
  for (const file of extraFiles) ctx.out.add(file);
}

// The names the build gives what it makes (entries are checked against assets as content is read):
// only an asset with one of these names can clash, and only those are looked for in the output.
const GENERATED_NAME = /(^|\/)(index\.html|feed\.xml|atom\.xml|feed\.json|did\.json)$|^(404\.html|sitemap\.xml)$/;

function checkClashes(ctx: Context): void {
  for (const asset of ctx.content.assets) {
    if (!GENERATED_NAME.test(asset.outputPath) || !ctx.out.paths.includes(asset.outputPath)) continue;
    const source = path.relative(ctx.config.root, asset.file).split(path.sep).join('/');
    throw new SignetError(`${source} and the ${asset.outputPath} that Signet makes both want the URL ${ctx.urls.link(asset.outputPath)}`, {
      file: source,
      hint: /did\.json$/.test(asset.outputPath)
        ? `Remove ${source}: Signet writes the key document from signet.keys.json (add keys with \`signet keys\`).`
        : `Remove or rename ${source}; the generated ${asset.outputPath} comes from your content and config.`,
    });
  }
}

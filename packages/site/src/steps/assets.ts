import { theme } from '../lazy.js';
import type { OutputFile } from '../output.js';
import type { Context } from './context.js';

export function addAssets(ctx: Context, extraFiles: OutputFile[]): void {
  for (const asset of theme().themeAssets()) ctx.out.add({ path: asset.outputPath, from: asset.file });
  for (const asset of ctx.content.assets) ctx.out.add({ path: asset.outputPath, from: asset.file });
  for (const file of extraFiles) ctx.out.add(file);
}


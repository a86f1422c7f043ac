/**
 * Images: every image the site publishes (files beside posts, `static/`) is replaced by a copy with
 * no metadata, made upright; each image shown by Markdown in `content/` also gets AVIF, WebP and
 * JPEG/PNG copies at a few widths, and its `<img>` becomes a `<picture>` with `srcset`, `sizes`,
 * `width` and `height`. sharp (through `@signet/images`) is loaded only when the site has an image:
 * a text-only site pays one pass over its asset list.
 *
 * The rewritten HTML is the signed HTML (the envelope's `content_html`), so the page, the feeds and
 * the signature all show the same `<picture>`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SignetError, type SiteConfig } from '@signet/config';
import type { Asset, ContentSet, Entry } from '@signet/content';
import type { ImageCopy, ImageOptions, ProcessedImage, ProcessResult } from '@signet/images';
import type { RenderedHtml } from '../cache.js';
import { CACHE_DIR } from '../disk-cache.js';
import { images } from '../lazy.js';
import { signatureOf } from '../memo.js';
import type { Context } from './context.js';
import { lineOf } from './links.js';

const IMAGE_FILE = /\.(jpe?g|png|webp|avif|gif|tiff?|heic|heif)$/i;

// The theme's column is 42rem wide (672 px at the default font size) inside 1.25rem of padding.
const SIZES = '(max-width: 42rem) 100vw, 42rem';

const EXTENSION: Record<ImageCopy['format'], string> = { avif: 'avif', webp: 'webp', jpeg: 'jpg', png: 'png', gif: 'gif', tiff: 'tif' };

/** What the build did with the site's images, for its summary. */
export interface ImageStats {
  images: number;
  encoded: number;
  /** How many images carried each kind of metadata now removed (`GPS`, `EXIF`, `XMP`, …). */
  removed: Record<string, number>;
}

const KINDS = ['GPS', 'EXIF', 'XMP', 'IPTC', 'comments'];

interface Published {
  asset: Asset;
  image: ProcessedImage;
}

/** The site's images as this build publishes them. */
export interface PreparedImages {
  published: Map<string, Published>;
  stats: ImageStats;
  /**
   * A hash of every image's copies: part of the signature of every page, as a page or listing shows
   * the names of the copies of an image that may have changed while its post did not.
   */
  signature: string;
  /** With `defer`: settles once the responsive copies this build went without are made. */
  pending?: Promise<void>;
}

const prepared = new WeakMap<Context, Map<string, Published>>();

/** Whether the site publishes any image: one pass over its asset list. */
export function hasImages(content: ContentSet): boolean {
  return content.assets.some((asset) => IMAGE_FILE.test(asset.outputPath));
}

/**
 * Strips and encodes the site's images (from the cache when unchanged), before any HTML is made.
 * With `defer` (`signet dev`), an image whose responsive copies are not cached is published as its
 * stripped copy alone, with its size, while the copies are made in the background.
 */
export function prepareImages(config: SiteConfig, content: ContentSet, defer = false): PreparedImages | undefined {
  // A file gone since its folder was listed (`signet dev` lists a folder again only once the site is
  // quiet after a rename) is left out, as a page that links it would find it missing: not an error.
  const assets = content.assets.filter((asset) => IMAGE_FILE.test(asset.outputPath) && existsSync(asset.file));
  if (assets.length === 0) return undefined;
  const { root } = config;
  const contentDir = path.join(root, config.dirs.content) + path.sep;
  const { strictAlt: _strict, ...options } = config.images ?? { keepProfile: false, keep: [], widths: [480, 960, 1600], strictAlt: false };
  let result: ProcessResult;
  try {
    result = images().processImagesSync(
      assets.map((asset) => ({ file: asset.file, variants: asset.file.startsWith(contentDir) })),
      options satisfies ImageOptions,
      path.join(root, CACHE_DIR, 'images'),
      defer,
    );
  } catch (error) {
    // Not an image's fault (those come back as errors): the worker or the cache folder failed.
    throw new SignetError(`images could not be processed: ${(error as Error).message}`, { hint: 'Run the build again; if it fails again, delete .signet/cache/images/ and report the problem.' });
  }
  if (result.errors.length > 0) {
    const [first, ...rest] = result.errors.map((e) => ({ ...e, file: path.relative(root, e.source).split(path.sep).join('/') }));
    const more = rest.map((e) => `\n  ${e.file}: ${e.message}`).join('');
    throw new SignetError(`${first!.message}${rest.length > 0 ? `, and ${rest.length} more image(s) cannot be published:${more}` : ''}`, { file: first!.file, hint: first!.hint });
  }
  const byFile = new Map(result.images.map((image) => [image.source, image]));
  const published = new Map<string, Published>();
  const removed: Record<string, number> = {};
  for (const asset of assets) {
    const image = byFile.get(asset.file)!;
    published.set(asset.outputPath, { asset, image });
    for (const kind of image.removed) removed[kind] = (removed[kind] ?? 0) + 1;
  }
  // The summary names GPS first: the kind a reader most needs to know was removed.
  const ordered = Object.fromEntries(Object.entries(removed).sort(([a], [b]) => KINDS.indexOf(a) - KINDS.indexOf(b)));
  const signature = signatureOf(...assets.map((asset) => `${asset.outputPath} ${published.get(asset.outputPath)!.image.hash}`));
  return { published, stats: { images: assets.length, encoded: result.encoded, removed: ordered }, signature, ...(result.pending ? { pending: result.pending } : {}) };
}

/** Makes the prepared images the ones this build's HTML and output use. */
export function useImages(ctx: Context, images: PreparedImages): void {
  prepared.set(ctx, images.published);
}

/** Whether the asset is an image this build publishes as a stripped copy (see `addImage`). */
export function isPreparedImage(ctx: Context, asset: Asset): boolean {
  return prepared.get(ctx)?.has(asset.outputPath) === true;
}

/** Publishes an image's stripped copy at its own path and its responsive copies beside it. */
export function addImage(ctx: Context, asset: Asset): void {
  const { image } = prepared.get(ctx)!.get(asset.outputPath)!;
  ctx.out.add({ path: asset.outputPath, from: image.stripped.file });
  const dir = path.posix.dirname(asset.outputPath);
  for (const copy of image.variants) ctx.out.add({ path: dir === '.' ? variantName(asset, image, copy) : `${dir}/${variantName(asset, image, copy)}`, from: copy.file });
}

function variantName(asset: Asset, image: ProcessedImage, copy: ImageCopy): string {
  const stem = path.posix.basename(asset.outputPath).replace(/\.[^.]*$/, '');
  return `${stem}.${image.hash}-${copy.width}.${EXTENSION[copy.format]}`;
}

/**
 * `html` with each `<img …>` tag replaced by `replace(tag)`, the tags found with indexOf: the pattern
 * /<img\b[^>]*>/g was tried from every `<img` of a text that never closes one, in quadratic time.
 */
function replaceImgTags(html: string, replace: (tag: string) => string): string {
  let out = '';
  let from = 0;
  for (let at = html.indexOf('<img'); at !== -1; at = html.indexOf('<img', at + 1)) {
    if (at < from || /\w/.test(html[at + 4] ?? '')) continue;
    const end = html.indexOf('>', at + 4);
    if (end === -1) break;
    out += html.slice(from, at) + replace(html.slice(at, end + 1));
    from = end + 1;
  }
  return out + html.slice(from);
}
const ATTRIBUTE = /([^\s=/>]+)(?:="([^"]*)")?/g;

/**
 * The entry's HTML with each `<img>` of a prepared image made a `<picture>` (or, for an image with no
 * responsive copies, given its size): the same change in the page's, the feeds' and the listings'
 * HTML, whose URLs differ only in how they are written. Images without alt text are noted.
 */
export function withPictures(ctx: Context, entry: Entry, rendered: RenderedHtml): RenderedHtml {
  const published = prepared.get(ctx);
  if (published === undefined || !rendered.html.includes('<img')) return rendered;
  const base = ctx.derive.url(entry);
  const rewrite = (html: string, notes: boolean): string => {
    let count = 0;
    return replaceImgTags(html, (tag) => {
      const attributes = attributesOf(tag);
      const src = attributes.get('src');
      const found = src === undefined ? undefined : lookup(ctx, published, src, base);
      if (found === undefined || src === undefined) return tag;
      const first = count++ === 0;
      if (notes && (attributes.get('alt') ?? '').trim() === '') missingAlt(ctx, entry, src);
      return picture(found, src, attributes, first);
    });
  };
  return {
    ...rendered,
    html: rewrite(rendered.html, true),
    feedHtml: rendered.feedHtml === rendered.html ? rewrite(rendered.html, false) : rewrite(rendered.feedHtml, false),
    ...(rendered.listingHtml === undefined ? {} : { listingHtml: rewrite(rendered.listingHtml, false) }),
  };
}

function attributesOf(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value] of tag.slice(4, -1).matchAll(ATTRIBUTE)) found.set(name!.toLowerCase(), value ?? '');
  return found;
}

function lookup(ctx: Context, published: Map<string, Published>, src: string, base: string): Published | undefined {
  let url: URL;
  try {
    url = new URL(src.replace(/&amp;/g, '&'), base);
  } catch {
    return undefined;
  }
  if (!url.href.startsWith(ctx.config.url)) return undefined;
  try {
    return published.get(decodeURIComponent(url.pathname.slice(ctx.urls.base.length)));
  } catch {
    return undefined;
  }
}

function picture({ asset, image }: Published, src: string, attributes: Map<string, string>, first: boolean): string {
  const folder = src.slice(0, src.lastIndexOf('/') + 1);
  const at = (copy: ImageCopy) => `${folder}${variantName(asset, image, copy)}`;
  const srcset = (format: string) => image.variants.filter((c) => c.format === format).map((c) => `${at(c)} ${c.width}w`).join(', ');
  const fallback = image.variants.filter((c) => c.format !== 'avif' && c.format !== 'webp');
  const largest = fallback[fallback.length - 1];
  const shown = largest ?? image.stripped;
  const img = new Map(attributes);
  img.set('src', largest ? at(largest) : src);
  if (largest) {
    img.set('srcset', srcset(largest.format));
    img.set('sizes', SIZES);
  }
  img.set('width', String(shown.width));
  img.set('height', String(shown.height));
  if (!img.has('alt')) img.set('alt', '');
  // The first image of a post is likely in view when the page opens: loading it lazily would delay it.
  if (first) img.delete('loading');
  else img.set('loading', 'lazy');
  img.set('decoding', 'async');
  const tag = `<img${[...img].map(([name, value]) => ` ${name}="${value}"`).join('')}>`;
  if (!largest) return tag;
  const sources = ['avif', 'webp'].map((format) => `<source type="image/${format}" srcset="${srcset(format)}" sizes="${SIZES}">`).join('');
  return `<picture>${sources}${tag}</picture>`;
}

const missing = new WeakMap<Context, { file: string; line?: number; message: string }[]>();

function missingAlt(ctx: Context, entry: Entry, src: string): void {
  const note = { file: entry.source, line: lineOf(entry, src), message: `the image \`${src}\` has no alt text: describe it for readers who cannot see it (\`![a red kite over the ridge](${src})\`)` };
  if (!ctx.config.images?.strictAlt) {
    ctx.notes.push(note);
    return;
  }
  let list = missing.get(ctx);
  if (list === undefined) missing.set(ctx, (list = []));
  list.push(note);
}

/** With `images.strictAlt`, one error naming every image without alt text. */
export function checkAltText(ctx: Context): void {
  const list = missing.get(ctx);
  if (list === undefined || list.length === 0) return;
  const [first, ...rest] = list;
  const more = rest.map((w) => `\n  ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`).join('');
  throw new SignetError(`${first!.message}${rest.length > 0 ? `, and ${rest.length} more image(s) without alt text:${more}` : ''}`, {
    file: first!.file,
    line: first!.line,
    hint: 'Write alt text in the brackets of each image, or set `images.strictAlt: false` in signet.config.yaml to only warn.',
  });
}

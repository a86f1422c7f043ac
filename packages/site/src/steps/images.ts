/**
 * Images: every image the site publishes (files beside posts, `static/`) is replaced by a copy with
 * no metadata, made upright; each image shown by Markdown in `content/` also gets AVIF, WebP and
 * JPEG/PNG copies at a few widths, and its `<img>` becomes a `<picture>` with `srcset`, `sizes`,
 * `width` and `height`. sharp (through `@signet/images`) is loaded only when the site has an image:
 * a text-only site pays one pass over its asset list.
 *
 * The signed HTML (the envelope's `content_html`, which the feeds carry) shows each image as one plain
 * `<img>` with its absolute fallback URL, `width` and `height`, as feed readers and mail programs
 * expect; the page shows the same `<img>` inside its `<picture>`, which verifiers read as that
 * `<img>` (spec §7.5, responsive picture).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SignetError, type SiteConfig } from '@signet/config';
import { siteUrls } from '../urls.js';
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
  /** Images published full-size at an original's quality, their bundles having opted in. */
  originals?: number;
}

const KINDS = ['GPS', 'EXIF', 'XMP', 'IPTC', 'comments'];

interface Published {
  asset: Asset;
  image: ProcessedImage;
  /** Its bundle's front matter says `images: { originals: true }`: the image links its full-size copy. */
  original: boolean;
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
export function hasImages(content: Pick<ContentSet, 'assets'>): boolean {
  return content.assets.some((asset) => IMAGE_FILE.test(asset.outputPath));
}

/**
 * Strips and encodes the site's images (from the cache when unchanged), before any HTML is made.
 * With `defer` (`signet dev`), an image whose responsive copies are not cached is published as its
 * stripped copy alone, with its size, while the copies are made in the background.
 */
export function prepareImages(config: SiteConfig, content: Pick<ContentSet, 'assets' | 'posts' | 'pages'>, defer = false): PreparedImages | undefined {
  // A file gone since its folder was listed (`signet dev` lists a folder again only once the site is
  // quiet after a rename) is left out, as a page that links it would find it missing: not an error.
  const assets = content.assets.filter((asset) => IMAGE_FILE.test(asset.outputPath) && existsSync(asset.file));
  if (assets.length === 0) return undefined;
  const { root } = config;
  const contentDir = path.join(root, config.dirs.content) + path.sep;
  const originals = originalFolders(config, content);
  const isOriginal = (asset: Asset) => originals.some((folder) => asset.file.startsWith(folder));
  const { strictAlt: _strict, ...options } = config.images ?? { keepProfile: false, keep: [], widths: [480, 960, 1600], strictAlt: false };
  let result: ProcessResult;
  try {
    result = images().processImagesSync(
      assets.map((asset) => ({ file: asset.file, variants: asset.file.startsWith(contentDir), ...(isOriginal(asset) ? { original: true } : {}) })),
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
    published.set(asset.outputPath, { asset, image, original: isOriginal(asset) });
    for (const kind of image.removed) removed[kind] = (removed[kind] ?? 0) + 1;
  }
  // The summary names GPS first: the kind a reader most needs to know was removed.
  const ordered = Object.fromEntries(Object.entries(removed).sort(([a], [b]) => KINDS.indexOf(a) - KINDS.indexOf(b)));
  const signature = signatureOf(...assets.map((asset) => `${asset.outputPath} ${published.get(asset.outputPath)!.image.hash}`), JSON.stringify(originals));
  const originalCount = assets.filter(isOriginal).length;
  const stats: ImageStats = { images: assets.length, encoded: result.encoded, removed: ordered, ...(originalCount > 0 ? { originals: originalCount } : {}) };
  return { published, stats, signature, ...(result.pending ? { pending: result.pending } : {}) };
}

/**
 * The folders of the page bundles whose front matter opts in to publishing their images' originals
 * (`images: { originals: true }`), each with a trailing separator. An original is the image's
 * full-size copy at its own URL: always without GPS or other metadata, but at an original's quality
 * (not a page's) and linked from the image on the page.
 */
function originalFolders(config: SiteConfig, content: Pick<ContentSet, 'posts' | 'pages'>): string[] {
  const folders: string[] = [];
  for (const list of [content.posts, content.pages]) {
    for (const entry of list) {
      const images = entry.data.images;
      if (images === undefined) continue;
      const originals = images !== null && typeof images === 'object' && !Array.isArray(images) ? (images as Record<string, unknown>).originals : undefined;
      if (typeof originals !== 'boolean') {
        throw new SignetError('`images` in the front matter takes `originals: true` or `originals: false`', {
          file: entry.source,
          hint: 'Write `images: { originals: true }` to publish the originals of the images beside this post (without their metadata), or remove `images`.',
        });
      }
      if (!originals) continue;
      if (!/^_?index\.(md|markdown)$/.test(path.basename(entry.source))) {
        throw new SignetError('`images: { originals: true }` applies to the images of a page bundle, and this post is not one', {
          file: entry.source,
          hint: 'Make the post a bundle: move it into a folder of its own as index.md (content/posts/trip/index.md), with its images beside it.',
        });
      }
      folders.push(path.join(config.root, path.dirname(entry.source)) + path.sep);
    }
  }
  return folders;
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
function replaceImgTags(html: string, replace: (tag: string, at: number) => string): string {
  let out = '';
  let from = 0;
  for (let at = html.indexOf('<img'); at !== -1; at = html.indexOf('<img', at + 1)) {
    if (at < from || /\w/.test(html[at + 4] ?? '')) continue;
    const end = html.indexOf('>', at + 4);
    if (end === -1) break;
    out += html.slice(from, at) + replace(html.slice(at, end + 1), at);
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
  const at = { published, siteUrl: ctx.config.url, basePath: ctx.urls.base, pageUrl: ctx.derive.url(entry) };
  const rewritten: Pick<RenderedHtml, 'html' | 'feedHtml' | 'listingHtml'> = {
    html: rewriteImages(at, rendered.html, picture, (src) => missingAlt(ctx, entry, src)),
    feedHtml: rewriteImages(at, rendered.feedHtml, plainImage),
  };
  if (rendered.listingHtml !== undefined) rewritten.listingHtml = rewriteImages(at, rendered.listingHtml, picture);
  // One Object.assign, as for every object made per post (see steps/pages.ts).
  return Object.assign({}, rendered, rewritten);
}

/** Where a post's images are looked up: the build's images, the site's URL and the post's. */
interface ImageLookup {
  published: Map<string, Published>;
  siteUrl: string;
  basePath: string;
  pageUrl: string;
}

type ImageMarkup = (found: Published, src: string, attributes: Map<string, string>, first: boolean) => string;

/** `html` with each `<img>` of a published image written by `markup`; `noAlt` hears of those without alt text. */
function rewriteImages(at: ImageLookup, html: string, markup: ImageMarkup, noAlt?: (src: string) => void): string {
  let count = 0;
  return replaceImgTags(html, (tag, position) => {
    const attributes = attributesOf(tag);
    const src = attributes.get('src');
    const found = src === undefined ? undefined : lookup(at, src);
    if (found === undefined || src === undefined) return tag;
    const first = count++ === 0;
    if (noAlt && (attributes.get('alt') ?? '').trim() === '') noAlt(src);
    const shown = markup(found, src, attributes, first);
    // An opted-in original is a click away, unless the image already links somewhere.
    return found.original && !insideLink(html, position) ? `<a href="${src}">${shown}</a>` : shown;
  });
}

/** Whether `at` is inside an `<a>` element of `html` (Markdown's `[![alt](img.jpg)](url)`). */
function insideLink(html: string, at: number): boolean {
  const open = Math.max(html.lastIndexOf('<a ', at), html.lastIndexOf('<a>', at));
  return open > html.lastIndexOf('</a>', at);
}

const forEmail = new WeakMap<object, PreparedImages | undefined>();

/**
 * A post's feed HTML (links absolute) with each of the site's images as the feeds show it: one `<img>`
 * of its absolute fallback URL with `width` and `height`. For `signet email`, which renders posts
 * itself: the images come from the build's cache (encoded now if the site was not built).
 */
export function plainImages(config: SiteConfig, content: Pick<ContentSet, 'assets' | 'posts' | 'pages'>, pageUrl: string, feedHtml: string): string {
  if (!feedHtml.includes('<img') || !hasImages(content)) return feedHtml;
  if (!forEmail.has(content)) forEmail.set(content, prepareImages(config, content));
  const images = forEmail.get(content);
  if (images === undefined) return feedHtml;
  return rewriteImages({ published: images.published, siteUrl: config.url, basePath: siteUrls(config).base, pageUrl }, feedHtml, plainImage);
}

function attributesOf(tag: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, value] of tag.slice(4, -1).matchAll(ATTRIBUTE)) found.set(name!.toLowerCase(), value ?? '');
  return found;
}

function lookup(at: ImageLookup, src: string): Published | undefined {
  let url: URL;
  try {
    url = new URL(src.replace(/&amp;/g, '&'), at.pageUrl);
  } catch {
    return undefined;
  }
  if (!url.href.startsWith(at.siteUrl)) return undefined;
  try {
    return at.published.get(decodeURIComponent(url.pathname.slice(at.basePath.length)));
  } catch {
    return undefined;
  }
}

/**
 * The image's `<img>`: its fallback (the largest JPEG or PNG copy, else the stripped copy) and size,
 * with `srcset` and `sizes` of the fallback's copies when `responsive`. The `<picture>`'s `<img>` is
 * the plain one with those two added, so that verifiers read the page's as the signed one.
 */
function imgTag({ asset, image }: Published, src: string, attributes: Map<string, string>, first: boolean, responsive: boolean): string {
  const folder = src.slice(0, src.lastIndexOf('/') + 1);
  const fallback = image.variants.filter((c) => c.format !== 'avif' && c.format !== 'webp');
  const largest = fallback[fallback.length - 1];
  const shown = largest ?? image.stripped;
  const img = new Map(attributes);
  img.set('src', largest ? `${folder}${variantName(asset, image, largest)}` : src);
  if (largest && responsive) {
    img.set('srcset', srcset({ asset, image }, folder, largest.format));
    img.set('sizes', SIZES);
  }
  img.set('width', String(shown.width));
  img.set('height', String(shown.height));
  if (!img.has('alt')) img.set('alt', '');
  // The first image of a post is likely in view when the page opens: loading it lazily would delay it.
  if (first) img.delete('loading');
  else img.set('loading', 'lazy');
  img.set('decoding', 'async');
  return `<img${[...img].map(([name, value]) => ` ${name}="${value}"`).join('')}>`;
}

function srcset({ asset, image }: Pick<Published, 'asset' | 'image'>, folder: string, format: string): string {
  return image.variants.filter((c) => c.format === format).map((c) => `${folder}${variantName(asset, image, c)} ${c.width}w`).join(', ');
}

/** What feeds, email and the signature show: one `<img>` of the fallback, with its size. */
function plainImage(found: Published, src: string, attributes: Map<string, string>, first: boolean): string {
  return imgTag(found, src, attributes, first, false);
}

/** What the page shows: that `<img>` with `srcset` and `sizes`, in a `<picture>` with AVIF and WebP. */
function picture(found: Published, src: string, attributes: Map<string, string>, first: boolean): string {
  const tag = imgTag(found, src, attributes, first, true);
  if (found.image.variants.length === 0) return tag;
  const folder = src.slice(0, src.lastIndexOf('/') + 1);
  const sources = ['avif', 'webp'].map((format) => `<source type="image/${format}" srcset="${srcset(found, folder, format)}" sizes="${SIZES}">`).join('');
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

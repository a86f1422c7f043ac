/**
 * The sharp side: reads one image, notes what metadata it carries, and writes its stripped copy and
 * responsive variants into the cache. Runs on the worker thread (worker.ts), never on the build's.
 */
import { writeFile } from 'node:fs/promises';
import exifr from 'exifr';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { ImageCopy, ImageError, ImageFormat, ImageOptions, ProcessedImage } from './types.js';
import { widthsFor } from './widths.js';

const FORMATS = new Set<ImageFormat>(['jpeg', 'png', 'webp', 'avif', 'gif', 'tiff']);

// AVIF at sharp's default effort (4) took 9 s for one 1600-pixel photo here; effort 2, 0.7 s, for a
// file a few percent larger.
const ENCODERS = {
  avif: { quality: 55, effort: 2 },
  webp: { quality: 78 },
  jpeg: { quality: 80, mozjpeg: true },
  png: { compressionLevel: 9, palette: false },
} as const;

export interface EncodeTask {
  source: string;
  variants: boolean;
  /** Cache path without extension: `<dir>/<key>`; copies are `<key>.<ext>` and `<key>-<width>.<ext>`. */
  prefix: string;
  hash: string;
  options: ImageOptions;
  /** The full-size copy at an original's quality (see ImageJob). */
  original?: boolean;
}

// An opted-in original: as close to the file as a new encoding gets (full chroma, lossless where the
// format is), since it is offered to download, not to show in a page.
const ORIGINAL = {
  jpeg: { quality: 95, chromaSubsampling: '4:4:4' },
  webp: { lossless: true },
  avif: { quality: 90, effort: 2 },
  png: { compressionLevel: 9, palette: false },
  tiff: {},
  gif: {},
} as const;

export async function encodeImage(task: EncodeTask): Promise<ProcessedImage | ImageError> {
  const { source } = task;
  let meta: Metadata;
  try {
    // failOn 'error' refuses truncated and corrupt files; the default pixel limit stays on.
    meta = await sharp(source, { failOn: 'error' }).metadata();
  } catch (error) {
    return unreadable(source, error);
  }
  const format = (String(meta.format) === 'jpg' ? 'jpeg' : meta.format) as ImageFormat;
  if (!FORMATS.has(format)) {
    if (meta.format === 'heif') return heic(source);
    return { source, message: `${meta.format} images cannot be published`, hint: 'Convert it to JPEG, PNG, WebP, AVIF or GIF.' };
  }
  try {
    const removed = await metadataOf(meta);
    const kept = await keptFields(meta, task.options.keep);
    const animated = (meta.pages ?? 1) > 1 && (format === 'gif' || format === 'webp');
    const open = (): Sharp => {
      let image = sharp(source, { failOn: 'error', animated }).autoOrient();
      if (task.options.keepProfile) image = image.keepIccProfile();
      if (kept) image = image.withExif({ IFD0: kept });
      return image;
    };
    const strippedFile = `${task.prefix}.${format}`;
    // The full-size copy: mozjpeg's smaller files cost five times the time at full size.
    const full = task.original ? ORIGINAL[format] : format === 'jpeg' ? { quality: 85 } : format === 'gif' ? {} : ((ENCODERS as Record<string, object>)[format] ?? {});
    const { data, info } = await open().toFormat(format, full).toBuffer({ resolveWithObject: true });
    await writeFile(strippedFile, data);
    const height = animated ? (info.pageHeight ?? info.height) : info.height;
    const stripped: ImageCopy = { file: strippedFile, format, width: info.width, height };
    const variants: ImageCopy[] = [];
    if (task.variants && !animated) {
      const fallback: ImageFormat = format === 'png' || meta.hasAlpha ? 'png' : 'jpeg';
      // Decoded and turned upright once, as sRGB pixels, for all the copies (a 6-megapixel JPEG
      // decoded nine times was most of the work); a kept colour profile needs the file each time.
      const pixels = task.options.keepProfile ? undefined : await open().raw().toBuffer({ resolveWithObject: true });
      const source = (): Sharp => {
        if (!pixels) return open();
        const image = sharp(pixels.data, { raw: { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels } });
        return kept ? image.withExif({ IFD0: kept }) : image;
      };
      for (const width of widthsFor(info.width, task.options.widths)) {
        for (const as of ['avif', 'webp', fallback] as const) {
          const file = `${task.prefix}-${width}.${as}`;
          const made = await source().resize({ width, withoutEnlargement: true }).toFormat(as, ENCODERS[as]).toFile(file);
          variants.push({ file, format: as, width: made.width, height: made.height });
        }
      }
    }
    return { source, stripped, variants, removed, hash: task.hash };
  } catch (error) {
    return unreadable(source, error);
  }
}

/** What metadata the original carries (all of it is dropped unless kept by name). */
async function metadataOf(meta: Metadata): Promise<string[]> {
  const removed: string[] = [];
  if (meta.exif) {
    if (await hasGps(meta.exif)) removed.push('GPS');
    removed.push('EXIF');
  }
  if (meta.xmp) removed.push('XMP');
  if (meta.iptc) removed.push('IPTC');
  if (meta.comments && meta.comments.length > 0) removed.push('comments');
  return removed;
}

/** sharp gives the EXIF block as `Exif\0\0` and a TIFF structure, which exifr reads. */
function tiffOf(exif: Buffer): Buffer {
  return exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
}

async function hasGps(exif: Buffer): Promise<boolean> {
  try {
    const fields = (await exifr.parse(tiffOf(exif), { gps: true, tiff: false, exif: false, ifd1: false, translateValues: false })) as Record<string, unknown> | undefined;
    return fields !== undefined && Object.keys(fields).some((key) => key.startsWith('GPS'));
  } catch {
    // An EXIF block exifr cannot read is dropped whole anyway; say GPS may have been in it.
    return true;
  }
}

/** The allow-listed first-IFD fields, as text; GPS fields never, whatever the list says. */
async function keptFields(meta: Metadata, keep: string[]): Promise<Record<string, string> | undefined> {
  const names = keep.filter((name) => !/^GPS/i.test(name));
  if (names.length === 0 || !meta.exif) return undefined;
  let fields: Record<string, unknown> | undefined;
  try {
    fields = (await exifr.parse(tiffOf(meta.exif), { tiff: true, exif: false, gps: false, ifd1: false, pick: names, translateValues: false, reviveValues: false })) as Record<string, unknown> | undefined;
  } catch {
    return undefined;
  }
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = fields?.[name];
    if (typeof value === 'string' && value !== '') kept[name] = value;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

function heic(source: string): ImageError {
  return {
    source,
    message: 'HEIC/HEIF images (the iPhone camera format) cannot be published: browsers other than Safari do not show them, and the prebuilt image library does not read them',
    hint: 'Convert it to JPEG: on a Mac, `sips -s format jpeg photo.heic --out photo.jpg` or Preview → File → Export; on the iPhone, Settings → Camera → Formats → Most Compatible takes JPEGs from then on.',
  };
}

function unreadable(source: string, error: unknown): ImageError {
  if (/\.(heic|heif)$/i.test(source)) return heic(source);
  const detail = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim();
  const pixels = /pixel limit/i.test(detail);
  return {
    source,
    message: pixels ? `the image is larger than the 268-megapixel limit (${detail})` : `the image cannot be read (${detail || 'unknown error'}): it may be truncated or damaged`,
    hint: pixels ? 'Resize it to a smaller image before publishing.' : 'Export the image again from the program that made it, or remove it.',
  };
}

/** How images are published (the `images:` section of signet.config.yaml). */
export interface ImageOptions {
  /** Keep the colour profile as it is instead of converting the pixels to sRGB. */
  keepProfile: boolean;
  /** EXIF fields of the first IFD to keep (`Copyright`, `Artist`); GPS fields are never kept. */
  keep: string[];
  /** Widths of the responsive copies; none wider than the image itself. */
  widths: number[];
}

export const DEFAULT_IMAGE_OPTIONS: ImageOptions = { keepProfile: false, keep: [], widths: [480, 960, 1600] };

/**
 * One image to publish: `variants` asks for the responsive copies (images shown by Markdown);
 * `original` makes the full-size copy at the quality of an original (the writer opted in to
 * publishing it) rather than at a page's.
 */
export interface ImageJob {
  file: string;
  variants: boolean;
  original?: boolean;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff';

/** A file this package made, in the cache folder. */
export interface ImageCopy {
  /** Absolute path of the file in the cache. */
  file: string;
  format: ImageFormat;
  width: number;
  height: number;
}

/** What a published image is made of. */
export interface ProcessedImage {
  source: string;
  /** The image itself, upright, every metadata removed: published in place of the original. */
  stripped: ImageCopy;
  /** Responsive copies (AVIF, WebP and a JPEG or PNG fallback at each width), smallest first; none for animations. */
  variants: ImageCopy[];
  /** What the original carried and no published copy does: `GPS`, `EXIF`, `XMP`, `IPTC`, `comments`, `colour profile`. */
  removed: string[];
  /** A short content hash, part of each variant's name. */
  hash: string;
}

export interface ImageError {
  source: string;
  message: string;
  hint?: string;
}

export interface ProcessResult {
  images: ProcessedImage[];
  errors: ImageError[];
  /** Images encoded by this call; the others came from the cache. */
  encoded: number;
  /**
   * With `defer`: settles (never rejects) once the responsive copies still being made are in the
   * cache, for a call that returned some images without them.
   */
  pending?: Promise<void>;
}

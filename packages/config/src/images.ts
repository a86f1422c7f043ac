import type { ImagesConfig } from './schema.js';

/** What `validateConfig` lends the `images:` group: failing at a key. */
export interface ImagesChecks {
  fail(path: string[], message: string, hint: string): never;
}

export const IMAGES_KEYS = ['keepProfile', 'keep', 'widths', 'strictAlt'];

// The first IFD's text fields a photographer may want to keep; nothing that says where or with what.
const KEEPABLE = ['Copyright', 'Artist', 'ImageDescription'];

/** The `images:` group: how published images are stripped and encoded. */
export function imagesConfig(group: Record<string, unknown>, check: ImagesChecks): ImagesConfig {
  const flag = (key: 'keepProfile' | 'strictAlt'): boolean => {
    const value = group[key];
    if (value === undefined || value === null) return false;
    if (typeof value !== 'boolean') check.fail(['images', key], `\`images.${key}\` must be true or false`, `For example \`images.${key}: true\`.`);
    return value;
  };
  const keep = group.keep ?? [];
  if (!Array.isArray(keep) || keep.some((name) => typeof name !== 'string')) {
    check.fail(['images', 'keep'], '`images.keep` must be a list of EXIF field names', 'For example `keep: [Copyright, Artist]`.');
  }
  for (const name of keep as string[]) {
    if (/^gps/i.test(name)) check.fail(['images', 'keep'], `\`images.keep\` cannot keep ${name}: a photo's location is never published`, `Remove ${name} from the list.`);
    if (!KEEPABLE.includes(name)) check.fail(['images', 'keep'], `\`images.keep\` names ${name}, which cannot be kept`, `Only ${KEEPABLE.join(', ')} can be kept.`);
  }
  const widths = group.widths ?? [480, 960, 1600];
  if (!Array.isArray(widths) || widths.length === 0 || widths.some((w) => typeof w !== 'number' || !Number.isInteger(w) || w < 16 || w > 8192)) {
    check.fail(['images', 'widths'], '`images.widths` must be a list of widths in pixels between 16 and 8192', 'For example `widths: [480, 960, 1600]`.');
  }
  return { keepProfile: flag('keepProfile'), keep: keep as string[], widths: widths as number[], strictAlt: flag('strictAlt') };
}

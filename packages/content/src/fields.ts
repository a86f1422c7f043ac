import { SignetError } from '@signet/config';
import type { FrontMatter } from './front-matter.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Reads a front matter date: `2026-01-05`, `2026-01-05 10:30`, or full ISO 8601. No zone means UTC. */
export function parseDate(value: unknown, key: string, fm: FrontMatter, file: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = value instanceof Date ? value.toISOString() : String(value).trim();
  const match = DATE.exec(text);
  let date: Date | undefined;
  if (match) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = match;
    const offset = zone === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
    const candidate = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
    // Reject dates JavaScript would roll over, such as 2026-02-30.
    const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (!Number.isNaN(candidate.getTime()) && local.getUTCDate() === Number(d) && local.getUTCMonth() === Number(mo) - 1) {
      date = candidate;
    }
  }
  if (!date) {
    throw new SignetError(`\`${key}\` is not a valid date: ${JSON.stringify(value)}`, {
      file,
      line: fm.lineOf(key),
      hint: `Write it as YYYY-MM-DD, YYYY-MM-DD HH:MM, or ISO 8601 such as 2026-01-05T10:30:00Z.`,
    });
  }
  return date;
}

export function optionalText(value: unknown, key: string, fm: FrontMatter, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') {
    throw new SignetError(`\`${key}\` must be text`, { file, line: fm.lineOf(key), hint: `Write it on one line, for example \`${key}: "…"\`.` });
  }
  return value;
}

export function parseTags(value: unknown, fm: FrontMatter, file: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || list.some((tag) => typeof tag !== 'string' && typeof tag !== 'number')) {
    throw new SignetError('`tags` must be a list of words', { file, line: fm.lineOf('tags'), hint: 'For example `tags: [travel, photos]`.' });
  }
  const tags = list.map((tag) => String(tag).trim()).filter(Boolean);
  return [...new Set(tags)];
}

export function parseBoolean(value: unknown, key: string, fm: FrontMatter, file: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    throw new SignetError(`\`${key}\` must be true or false, not ${JSON.stringify(value)}`, { file, line: fm.lineOf(key) });
  }
  return value;
}

/** A URL segment for a tag: lower case, letters and digits kept (any script), the rest dashes. */
export function tagSlug(tag: string): string {
  const slug = tag
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'tag';
}

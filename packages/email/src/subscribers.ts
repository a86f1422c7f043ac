import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { SignetError, type SiteConfig } from '@signet/config';
import { isAddress, normalizeAddress } from './address.js';

export interface Subscriber {
  /** As written in the list (its case kept for the To header). */
  address: string;
  name?: string;
}

// Column names in Signet's own CSV and in providers' exports (Mailchimp, Buttondown, Substack, listmonk).
const EMAIL_COLUMN = /^(e-?mail|e-?mail[ _]address|address)$/i;
const NAME_COLUMN = /^(name|full[ _]name|first[ _]name)$/i;
const STATUS_COLUMN = /^(status|subscriber[ _]type|type|state)$/i;
const GONE = /^(unsubscribed|cleaned|bounced|complained|removed|spam|blocklisted|blacklisted)$/i;

/** Where the list is never read from: every folder whose files are published, and the layouts. */
function refusePublished(file: string, config: SiteConfig): void {
  const real = realpathSync(file);
  const dirs = [config.dirs.content, config.dirs.static, config.dirs.out, config.dirs.layouts];
  for (const dir of dirs) {
    let base: string;
    try {
      base = realpathSync(path.resolve(config.root, dir));
    } catch {
      continue;
    }
    if (real === base || real.startsWith(base + path.sep)) {
      throw new SignetError(`the subscriber list is inside ${dir}/, which is published or part of the site`, {
        hint: 'Keep the list outside the site folder (or in .signet/, which git ignores) and name it with --subscribers or SIGNET_SUBSCRIBERS.',
      });
    }
  }
}

/**
 * Reads the subscriber list once: a CSV with a header (`email,name,subscribed_at`, or a provider's
 * export), or one address a line. Addresses are compared case-insensitively and duplicates dropped;
 * rows a provider marks as unsubscribed, cleaned or bounced are left out. A bad row stops with its
 * line number, never the row itself: the list is private.
 */
export function readSubscribers(file: string, config: SiteConfig): Subscriber[] {
  const shown = path.relative(config.root, file) || file;
  let text: string;
  try {
    refusePublished(file, config);
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof SignetError) throw error;
    throw new SignetError(`cannot read the subscriber list: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: shown, hint: 'Check the path given with --subscribers or SIGNET_SUBSCRIBERS.' });
  }
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof rows;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new SignetError('the subscriber list is not valid CSV', { file: shown, line, hint: 'Save it as CSV with a header row such as email,name,subscribed_at.' });
  }
  if (rows.length === 0) return [];
  const header = rows[0]!.record;
  const headed = !header.some((cell) => cell.includes('@'));
  const column = (pattern: RegExp) => (headed ? header.findIndex((cell) => pattern.test(cell)) : -1);
  const emailAt = headed ? column(EMAIL_COLUMN) : 0;
  if (emailAt < 0) {
    throw new SignetError('the subscriber list has no email column', { file: shown, line: 1, hint: 'Its first row must name the columns, with one called email (email,name,subscribed_at).' });
  }
  const nameAt = column(NAME_COLUMN);
  const statusAt = column(STATUS_COLUMN);
  const seen = new Set<string>();
  const out: Subscriber[] = [];
  for (const { record, info } of headed ? rows.slice(1) : rows) {
    const address = (record[emailAt] ?? '').trim();
    if (address === '' && record.every((cell) => cell === '')) continue;
    if (!isAddress(address)) {
      throw new SignetError('this row has no valid email address', { file: shown, line: info.lines, hint: 'Fix or remove the row; nothing was sent.' });
    }
    if (statusAt >= 0 && GONE.test(record[statusAt] ?? '')) continue;
    const key = normalizeAddress(address);
    if (seen.has(key)) continue;
    seen.add(key);
    const name = nameAt >= 0 ? record[nameAt]?.replace(/[\r\n]+/g, ' ').trim() : undefined;
    out.push(name ? { address, name } : { address });
  }
  return out;
}

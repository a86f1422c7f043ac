import { parseDate } from '@signet/content';

/** A date given as a flag (`--at`, `--since`), read like a front matter date; errors name the flag. */
export function dateFlag(value: string | boolean | undefined, flag: string): Date | undefined {
  if (typeof value !== 'string') return undefined;
  return parseDate(value, flag, { data: {}, body: '', bodyLine: 1, lineOf: () => undefined }, '');
}

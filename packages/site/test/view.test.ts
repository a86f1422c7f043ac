import { describe, expect, it } from 'vitest';
import { formatDate } from '../src/view.js';

describe('formatDate', () => {
  it('gives each date the text Intl gives it, day after day, before 1970 and after, in several languages', () => {
    for (const language of ['en', 'de', 'ja']) {
      const format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone: 'UTC' });
      // Steps of 7 h 12 s land on every hour of the day, so the day's first and last moments are met.
      for (let time = -86_400_000 * 400; time < 86_400_000 * 20_000; time += 25_212_000) {
        const date = new Date(time);
        if (formatDate(date, language) !== format.format(date)) expect(formatDate(date, language)).toBe(format.format(date));
      }
      expect(formatDate(new Date(Date.UTC(2026, 0, 5, 23, 59, 59, 999)), language)).toBe(format.format(new Date(Date.UTC(2026, 0, 5))));
    }
  });

  it('falls back to the ISO day for a language Intl does not know', () => {
    expect(formatDate(new Date(Date.UTC(2026, 0, 5, 12)), 'not a language!')).toBe('2026-01-05');
  });
});

import { describe, expect, it } from 'vitest';
import { pageText, STRING_LANGUAGES, themeStrings } from '../src/strings.js';

describe('themeStrings', () => {
  it('picks the table by the primary subtag, falls back to English, and takes overrides', () => {
    expect(themeStrings('pt-BR').tags).toBe('Etiquetas');
    expect(themeStrings('FR').archive).toBe('Archives');
    expect(themeStrings('tlh').tags).toBe('Tags');
    expect(themeStrings('de', { tags: 'Themen' })).toMatchObject({ tags: 'Themen', archive: 'Archiv' });
    expect(pageText(themeStrings('ja'), 2, 5)).toBe('2 / 5 ページ');
    expect(pageText(themeStrings('en'), 2, 5)).toBe('Page 2 of 5');
  });

  it('has every word in every language', () => {
    const keys = Object.keys(themeStrings('en')).sort();
    expect(STRING_LANGUAGES).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'es', 'pt', 'ja']));
    for (const language of STRING_LANGUAGES) {
      const strings = themeStrings(language);
      expect(Object.keys(strings).sort(), language).toEqual(keys);
      for (const key of keys) expect(strings[key], `${language} ${key}`).not.toBe('');
    }
    expect(themeStrings('de').pageOf).toContain('{page}');
  });
});

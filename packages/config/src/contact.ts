/**
 * Finds email addresses and phone numbers in text a site publishes, so a pen name is not undone by
 * a contact detail pasted into a post. One precompiled pattern, linear in the text: every match
 * starts at an `@`, a `+` or `tel:`, and the rest of each branch cannot run past the next one.
 */

// `@host.tld` (its local part is read backwards in code: a lookbehind made the pattern 8 times slower);
// `+` and 8 or more digits (spaces, dots, dashes and brackets between them); or a `tel:` link to a
// national number (one with `+` is found by its `+`). Sticky: tried only where `indexOf` found an `@`,
// a `+` or `tel:`, as trying it at every character (a `t` could start `tel:`) cost 10 µs a post.
const CONTACT = /@[A-Za-z0-9-]+\.[A-Za-z0-9.-]*[A-Za-z]|\+\d[\d ().-]{6,18}\d|tel:\d[\d().-]*\d/y;

const LOCAL_PART = /[\w.%+-]/;

/** The contact details found in `text`, each with its line, that no `mailto:` in the text nor `allow` covers. */
export function findContacts(text: string, allow: readonly string[] = []): { value: string; line: number }[] {
  // The common case, a post with neither character, costs two searches for one character, which run
  // at memory speed; searching for `tel:` as well took 5 times as long as both.
  if (!text.includes('@') && !text.includes('+')) return [];
  const found: { value: string; index: number }[] = [];
  const meant = new Set<string>();
  for (const marker of ['@', '+', 'tel:']) {
    for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
      CONTACT.lastIndex = at;
      const match = CONTACT.exec(text);
      if (!match) continue;
      let start = at;
      if (marker === '@') {
        while (start > 0 && LOCAL_PART.test(text[start - 1]!)) start -= 1;
        // `@name.example` after a space is a handle, not an address.
        if (start === at) continue;
        // A fediverse handle (`@wren@social.example`), a path or a URL's user part (`/photo@2x.png`,
        // `ssh://git@host`) is not one either.
        if (text[start - 1] === '@' || text[start - 1] === '/' || (text[start - 1] === ':' && !text.startsWith('mailto:', start - 7))) continue;
      }
      const value = match[0].startsWith('tel:') ? match[0].slice(4) : text.slice(start, at + match[0].length);
      if (text.startsWith('mailto:', start - 7)) meant.add(value.toLowerCase());
      else found.push({ value, index: start });
      at += match[0].length - 1;
    }
  }
  found.sort((a, b) => a.index - b.index);
  const allowed = new Set(allow.map((item) => normalise(item)));
  const out: { value: string; line: number }[] = [];
  for (const { value, index } of found) {
    if (meant.has(value.toLowerCase()) || allowed.has(normalise(value))) continue;
    out.push({ value, line: lineAt(text, index) });
  }
  return out;
}

/** Addresses compare without case; phone numbers by their digits. */
function normalise(value: string): string {
  return value.includes('@') ? value.toLowerCase() : value.replace(/[^\d+]/g, '');
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line += 1;
  return line;
}

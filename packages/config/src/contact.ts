/**
 * Finds email addresses and phone numbers in text a site publishes, so a pen name is not undone by
 * a contact detail pasted into a post. One precompiled pattern, linear in the text: every match
 * starts at an `@`, a `+` or `tel:`, and the rest of each branch cannot run past the next one.
 */

// `@host.tld` (its local part is read backwards in code: a lookbehind made the pattern 8 times slower);
// `+` and 8 or more digits (spaces, dots, dashes and brackets between them); or a `tel:` link.
const CONTACT = /@[A-Za-z0-9-]+\.[A-Za-z0-9.-]*[A-Za-z]|\+\d[\d ().-]{6,18}\d|tel:\+?\d[\d().-]*\d/g;

const LOCAL_PART = /[\w.%+-]/;

/** The contact details found in `text`, each with its line, that no `mailto:` in the text nor `allow` covers. */
export function findContacts(text: string, allow: readonly string[] = []): { value: string; line: number }[] {
  // The common case, a post with neither character, costs two searches for one character.
  if (!text.includes('@') && !text.includes('+') && !text.includes('tel:')) return [];
  const found: { value: string; index: number }[] = [];
  const meant = new Set<string>();
  CONTACT.lastIndex = 0;
  for (let match = CONTACT.exec(text); match; match = CONTACT.exec(text)) {
    let start = match.index;
    if (text[start] === '@') {
      while (start > 0 && LOCAL_PART.test(text[start - 1]!)) start -= 1;
      // `@name.example` after a space is a handle, not an address.
      if (start === match.index) continue;
      // A fediverse handle (`@wren@social.example`), a path or a URL's user part (`/photo@2x.png`,
      // `ssh://git@host`) is not one either.
      if (text[start - 1] === '@' || text[start - 1] === '/' || (text[start - 1] === ':' && !text.startsWith('mailto:', start - 7))) continue;
    }
    const value = text.slice(start, match.index + match[0].length).replace(/^tel:/, '');
    if (text.startsWith('mailto:', start - 7)) meant.add(value.toLowerCase());
    else found.push({ value, index: start });
  }
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

import { fundingLinks, nfc, SignetError, suggest, type FundingLink } from '@signet/config';
import type { FrontMatter } from './front-matter.js';
import type { Warning } from './entry.js';
import { MAX_NAME_BYTES, nameTooLong } from './url.js';

// The zone may follow the time after a space, as YAML timestamps and Hugo write it (`09:30 +02:00`),
// as `Z`, `±hh:mm`, `±hhmm` or `±hh`.
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)? ?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Reads a front matter date: `2026-01-05`, `2026-01-05 10:30`, or ISO 8601, with or without a zone
 * (`Z`, `+02:00`, `+0200`, `+02`, after a space or not). No zone means UTC. Years before 1000 are
 * refused: feeds write them in forms readers take for other years (RSS's `0001` reads back as 2001).
 */
export function parseDate(value: unknown, key: string, fm: FrontMatter, file: string): Date | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = value instanceof Date ? value.toISOString() : String(value).trim();
  const match = DATE.exec(text);
  let date: Date | undefined;
  if (match) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = match;
    if (Number(y) < 1000) {
      throw new SignetError(`\`${key}\` is in the year ${y}: years before 1000 are not supported`, {
        file,
        line: fm.lineOf(key),
        hint: 'Feeds cannot carry such years so that every reader gets them back; write the date with its full year, such as 2026-01-05.',
      });
    }
    const offset = zone === 'Z' || zone === 'z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
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
      hint: `Write it as YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM +02:00, or ISO 8601 such as 2026-01-05T10:30:00Z.`,
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
  wellFormed(value, key, fm, file);
  return value;
}

/**
 * Refuses a lone surrogate (only a YAML escape such as `"\ud800"` can make one): no UTF-8 file, page
 * or signature can carry it.
 */
function wellFormed(value: string, key: string, fm: FrontMatter, file: string): void {
  if ((value as unknown as { isWellFormed(): boolean }).isWellFormed()) return;
  throw new SignetError(`\`${key}\` has a lone surrogate escape (such as "\\ud800"), which is not a character`, {
    file,
    line: fm.lineOf(key),
    hint: 'Write the character itself, or both halves of the pair ("\\ud83d\\ude00" for 😀).',
  });
}

/**
 * Characters feeds cannot carry (C0 controls but tab and line ends, U+FFFE, U+FFFF): XML drops them,
 * so a signed post that kept one would show differently from its signature. They are removed when a
 * file is read, with a warning, so that every format shows what is signed.
 */
export const CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const CONTROLS = /[\0-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;

/** `text` without the characters `CONTROL` matches, and how many there were. */
export function stripControls(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  const stripped = text.replace(CONTROLS, (c) => {
    removed.push(c);
    return '';
  });
  return { text: stripped, removed };
}

/** `U+001B` for a warning. */
export function codePoints(chars: string[]): string {
  const names = [...new Set(chars)].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
  return names.length > 4 ? `${names.slice(0, 4).join(', ')}, …` : names.join(', ');
}

/**
 * A text field a signed post carries (title, summary, author, each tag): NFC, and without the
 * characters feeds drop (a YAML escape such as `"\e"` can make them even in a clean file), with a
 * warning naming the key's line.
 */
export function signedText(value: string, key: string, fm: FrontMatter, file: string, warnings: Warning[]): string {
  let text = value;
  if (CONTROL.test(text)) {
    const { text: stripped, removed } = stripControls(text);
    warnings.push({ file, line: fm.lineOf(key), message: `removed ${removed.length} control character(s) (${codePoints(removed)}) from \`${key}\`: feeds cannot carry them` });
    text = stripped;
  }
  return nfc(text);
}

/** The tags, trimmed, NFC and without repeats; `warnings` gets one for each control character removed. */
export function parseTags(value: unknown, fm: FrontMatter, file: string, warnings: Warning[] = []): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || list.some((tag) => typeof tag !== 'string' && typeof tag !== 'number')) {
    throw new SignetError('`tags` must be a list of words', { file, line: fm.lineOf('tags'), hint: 'For example `tags: [travel, photos]`.' });
  }
  const tags = list.map((tag) => {
    const text = String(tag);
    wellFormed(text, 'tags', fm, file);
    return signedText(text, 'tags', fm, file, warnings).trim();
  }).filter(Boolean);
  // An ASCII tag's slug is never longer than the tag, so only a long tag or one that is not ASCII
  // (NFKC can lengthen it) needs its slug made here.
  const long = tags.find((tag) => (nameTooLong(tag) || /[^\x00-\x7f]/.test(tag)) && nameTooLong(tagSlug(tag)));
  if (long !== undefined) {
    throw new SignetError(`a tag is too long for its page's folder name (at most ${MAX_NAME_BYTES} bytes): ${JSON.stringify(long.slice(0, 40) + '…')}`, {
      file,
      line: fm.lineOf('tags'),
      hint: 'Tags are short words such as `travel`; put longer text in the post.',
    });
  }
  return [...new Set(tags)];
}

export function parseBoolean(value: unknown, key: string, fm: FrontMatter, file: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    throw new SignetError(`\`${key}\` must be true or false, not ${JSON.stringify(value)}`, { file, line: fm.lineOf(key) });
  }
  return value;
}

// Symbols that tell tags apart (`C++`, `C#`, `C`), spelled out in the URL as readers say them.
const SPELLED: Record<string, string> = { '+': 'plus', '#': 'sharp', '&': 'and', '@': 'at', '%': 'percent', '$': 'dollar', '*': 'star', '=': 'equals', '<': 'less', '>': 'greater' };
const KEPT = /[\p{L}\p{N}\p{M}]/u;
// Joiners, variation selectors and other characters that show nothing: `❤` and `❤️` are one tag.
const INVISIBLE = /[\p{Cc}\p{Cf}\u{FE00}-\u{FE0F}]/u;
const SEPARATOR = /[\p{P}\p{Z}\s]/u;
const PLAIN_TAG = /^[A-Za-z0-9 _.-]*$/;
const PLAIN_SEPARATORS = /[ _.-]+/;

/**
 * A tag's words: runs of letters, digits and marks (any script), lower case; symbols spelled out
 * (`plus`) or, without a name, written as their code point (`u1f642` for 🙂), each marked with a
 * leading NUL; punctuation and spaces only separate. Tags with the same words are one tag.
 */
function tagWords(tag: string): string[] {
  // Most tags are plain ASCII words: no need to look at each character.
  if (PLAIN_TAG.test(tag)) return tag.toLowerCase().split(PLAIN_SEPARATORS).filter((word) => word !== '');
  const words: string[] = [];
  let word = '';
  const end = () => {
    if (word !== '') words.push(word);
    word = '';
  };
  for (const c of tag.normalize('NFKC').toLowerCase()) {
    if (INVISIBLE.test(c)) continue;
    const spelled = SPELLED[c];
    if (spelled !== undefined) {
      end();
      words.push(`\0${spelled}`);
    } else if (KEPT.test(c)) word += c;
    else if (SEPARATOR.test(c)) end();
    else {
      end();
      words.push(`\0u${c.codePointAt(0)!.toString(16)}`);
    }
  }
  end();
  return words;
}

/**
 * A URL segment for a tag, distinct for distinct tags: lower case, letters, digits and marks of any
 * script kept (as Hugo keeps them), symbols spelled out (`C++` → `c-plus-plus`, `C#` → `c-sharp`) or
 * written as their code point (`🙂` → `u1f642`), everything else a dash. Without a percent sign, so
 * the URL reads the same in a link, a file name and a feed.
 */
export function tagSlug(tag: string): string {
  return tagWords(tag).map((word) => (word.startsWith('\0') ? word.slice(1) : word)).join('-') || 'tag';
}

/**
 * What makes two tags the same tag: their words, with a spelled-out symbol told apart from the same
 * letters written out (`C#` and `c sharp` share the slug `c-sharp` but are not the same tag).
 */
export function tagIdentity(tag: string): string {
  return tagWords(tag).join(' ');
}

/**
 * The front matter keys Signet reads (`menu` and `weight` place a page in the site menu; `twitter` is
 * written by the Twitter import). Others are kept for layouts, and warned about only when they look
 * like a misspelt known key: `tag:` would otherwise leave a post without tags, silently.
 */
export const KNOWN_KEYS = ['title', 'date', 'updated', 'draft', 'tags', 'summary', 'slug', 'permalink', 'author', 'layout', 'menu', 'weight', 'twitter', 'email', 'audience', 'funding', 'in_reply_to', 'like_of', 'repost_of', 'bookmark_of'];
const KNOWN = new Set(KNOWN_KEYS);

export function warnMisspeltKeys(data: Record<string, unknown>, fm: FrontMatter, file: string, warnings: Warning[]): void {
  for (const key in data) {
    if (KNOWN.has(key)) continue;
    const guess = suggest(key, KNOWN_KEYS);
    if (guess !== undefined) warnings.push({ file, line: fm.lineOf(key), message: `unknown front matter key \`${key}\`: did you mean \`${guess}\`? (Signet ignores \`${key}\`; layouts can still read it)` });
  }
}

/** `audience: public | members` (default public). */
export function parseAudience(value: unknown, fm: FrontMatter, file: string): 'public' | 'members' {
  if (value === undefined || value === null || value === 'public') return 'public';
  if (value === 'members') return 'members';
  throw new SignetError(`\`audience\` must be public or members, not ${JSON.stringify(value)}`, {
    file,
    line: fm.lineOf('audience'),
    hint: '`audience: members` sends the post by email only and leaves it out of the site and feeds.',
  });
}

/**
 * `funding: false` (no funding links on this post), or the post's own `{ label, url }` links, shown
 * after the site's. An `http:` link fails the build: a payment link must be https.
 */
export function parseFunding(value: unknown, fm: FrontMatter, file: string): FundingLink[] | false | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === false) return false;
  return fundingLinks(value, 'funding', (_i, _key, message, hint) => {
    throw new SignetError(message, { file, line: fm.lineOf('funding'), hint });
  });
}

/** The front matter keys that point at another post, as the IndieWeb names them. */
export const REFERENCE_KEYS = ['in_reply_to', 'like_of', 'repost_of', 'bookmark_of'] as const;
export type ReferenceKey = (typeof REFERENCE_KEYS)[number];

/**
 * `in_reply_to: https://…` and its kin: absolute http(s) URLs, without their fragment. Undefined when
 * the post has none, which is nearly always: the common case costs four property reads.
 */
export function parseReferences(data: Record<string, unknown>, fm: FrontMatter, file: string): { kind: ReferenceKey; url: string }[] | undefined {
  let out: { kind: ReferenceKey; url: string }[] | undefined;
  for (const kind of REFERENCE_KEYS) {
    const value = data[kind];
    if (value === undefined || value === null || value === '') continue;
    let url: URL | undefined;
    try {
      url = typeof value === 'string' ? new URL(value.trim()) : undefined;
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      throw new SignetError(`\`${kind}\` must be the absolute http(s) URL of the post it points at, not ${JSON.stringify(value)}`, {
        file,
        line: fm.lineOf(kind),
        hint: `Write it as \`${kind}: https://example.org/posts/hello/\`.`,
      });
    }
    url.hash = '';
    (out ??= []).push({ kind, url: url.href.normalize('NFC') });
  }
  return out;
}

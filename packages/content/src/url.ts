import { nfc, SignetError } from '@signet/config';

/** The longest file or folder name most file systems take (NAME_MAX), in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

/** Whether a path segment is too long to be a file or folder name. */
export function nameTooLong(segment: string): boolean {
  // A UTF-16 unit is at most 3 UTF-8 bytes: shorter segments need no counting.
  return segment.length * 3 > MAX_NAME_BYTES && Buffer.byteLength(segment) > MAX_NAME_BYTES;
}

/**
 * `%xx` escapes decoded, as a URL parser reads them: `%2e%2e` is `..` to a browser, so it must be to
 * the checks too. Undefined when an escape is not UTF-8.
 */
function decodeEscapes(value: string): string | undefined {
  try {
    return value.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => decodeURIComponent(run));
  } catch {
    return undefined;
  }
}

/**
 * Turns a site-relative URL path into an output file path that cannot leave the output folder.
 * `%xx` escapes are decoded first (the URL is the same either way, so two spellings of one path are
 * one output file, which the duplicate check then sees), and the result is NFC. `..`, `.`,
 * backslashes, control characters and schemes are refused, not silently cleaned, so the writer learns
 * that the permalink is wrong; so are names too long for a file system.
 */
export function safeUrlPath(raw: string, file: string, line: number | undefined, key: string): string {
  const trimmed = raw.trim();
  const decoded = trimmed.includes('%') ? decodeEscapes(trimmed) : trimmed;
  const value = nfc(decoded ?? trimmed);
  const problem =
    decoded === undefined ? 'has a `%` escape that is not UTF-8'
    : decoded !== trimmed && /%[0-9A-Fa-f]{2}/.test(decoded) ? 'is escaped twice (`%25`)'
    : /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//') ? 'is a full URL; give a path on this site instead'
    : /[\\\0-\x1f]/.test(value) ? 'contains a backslash or control character'
    : value.split('/').some((segment) => segment === '..' || segment === '.') ? 'contains `.` or `..` segments'
    : value.includes('?') || value.includes('#') ? 'contains `?` or `#`'
    : undefined;
  if (problem) {
    throw new SignetError(`\`${key}\` ${problem}: ${JSON.stringify(raw)}`, {
      file,
      line,
      hint: `Use a path such as \`${key === 'slug' ? 'slug: my-post' : 'permalink: /about/'}\`; it is always inside the site.`,
    });
  }
  const segments = value.split('/').filter(Boolean);
  const long = segments.find(nameTooLong);
  if (long !== undefined) {
    throw new SignetError(`\`${key}\` has a part of ${Buffer.byteLength(long)} bytes; a file name can have at most ${MAX_NAME_BYTES}: ${JSON.stringify(long.slice(0, 40) + '…')}`, {
      file,
      line,
      hint: line !== undefined ? `Give it a shorter \`${key}\`.` : 'Give the file a shorter name, or a shorter `slug` in its front matter.',
    });
  }
  const last = segments[segments.length - 1];
  const isFile = !value.endsWith('/') && last !== undefined && /\.[a-z0-9]+$/i.test(last);
  return '/' + segments.join('/') + (isFile || segments.length === 0 ? '' : '/');
}

/** `posts/hello/` → `posts/hello/index.html`; `/404.html` → `404.html`. */
export function outputPathOf(urlPath: string): string {
  const relative = urlPath.replace(/^\//, '');
  return relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative;
}

/** Fills a permalink pattern: `:year`, `:month`, `:day`, `:slug`, `:path`. */
export function fillPermalink(pattern: string, values: { date: Date | undefined; slug: string; path: string }): string {
  const date = values.date ?? new Date(0);
  const two = (n: number) => String(n).padStart(2, '0');
  return pattern
    .replace(/:year\b/g, String(date.getUTCFullYear()))
    .replace(/:month\b/g, two(date.getUTCMonth() + 1))
    .replace(/:day\b/g, two(date.getUTCDate()))
    .replace(/:slug\b/g, values.slug)
    .replace(/:path\b/g, values.path);
}

import { SignetError } from '@signet/config';

/**
 * Turns a site-relative URL path into an output file path that cannot leave the output folder.
 * `..`, `.`, backslashes, control characters and schemes are refused, not silently cleaned, so the
 * writer learns that the permalink is wrong.
 */
export function safeUrlPath(raw: string, file: string, line: number | undefined, key: string): string {
  const value = raw.trim();
  const problem =
    /^[a-z][a-z0-9+.-]*:/i.test(value) || value.startsWith('//') ? 'is a full URL; give a path on this site instead'
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

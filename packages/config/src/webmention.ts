import type { WebmentionConfig } from './schema.js';

/** What `validateConfig` lends the `webmention:` group: a text value and failing at a key. */
export interface WebmentionChecks {
  text(path: string[]): string | undefined;
  fail(path: string[], message: string, hint: string): never;
}

export const WEBMENTION_KEYS = ['endpoint', 'feed'];

/**
 * The `webmention:` group: the external receiver a static site names as its endpoint, and the JSON
 * of the mentions it received. A token for that JSON is never written here (it would be committed):
 * it comes from the environment.
 */
export function webmentionConfig(check: WebmentionChecks): WebmentionConfig {
  const out: WebmentionConfig = {};
  const endpoint = check.text(['webmention', 'endpoint']);
  if (endpoint !== undefined) out.endpoint = webUrl(endpoint, ['webmention', 'endpoint'], check, 'For example `endpoint: https://webmention.io/your.domain/webmention`.');
  const feed = check.text(['webmention', 'feed']);
  if (feed !== undefined) {
    out.feed = webUrl(feed, ['webmention', 'feed'], check, 'For example `feed: https://webmention.io/api/mentions.jf2?domain=your.domain`.');
    if (/[?&]token=/i.test(feed)) check.fail(['webmention', 'feed'], '`webmention.feed` carries a token, which would be published with the config', 'Remove `token=…` from the URL and set the environment variable SIGNET_WEBMENTION_TOKEN instead (a repository secret in CI).');
  }
  return out;
}

function webUrl(value: string, path: string[], check: WebmentionChecks, hint: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(value.trim());
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) check.fail(path, `\`${path.join('.')}\` must be an absolute http(s) URL, not "${value}"`, hint);
  if (parsed.username || parsed.password) check.fail(path, `\`${path.join('.')}\` must not carry credentials`, hint);
  return parsed.href;
}

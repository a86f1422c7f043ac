import path from 'node:path';
import { SignetError } from './error.js';
import { DEFAULTS, REPLIES_POLICIES, type Author, type ConfigWarning, type RepliesPolicy, type SiteConfig } from './schema.js';
import { nfc } from './text.js';
import { EMAIL_KEYS, emailConfig } from './email.js';
import { WEBMENTION_KEYS, webmentionConfig } from './webmention.js';
import { findContacts } from './contact.js';
import { AUTHOR_KEYS, FUNDING_MANIFEST_KEYS, avatarPath, fundingLinks, fundingManifest, lightningLink, meLinks, monetizationAddress } from './support.js';
import { isLanguageTag } from '@signet/sign/language-tag';
import { IMAGES_KEYS, imagesConfig } from './images.js';

/** Where a key sits in the config file, so every message can name its line. */
export type Locate = (path: string[]) => { line: number; column: number } | undefined;

type Raw = Record<string, unknown>;

interface Context {
  file: string;
  locate: Locate;
}

const TOP_KEYS = ['title', 'url', 'language', 'description', 'author', 'permalink', 'postsPerPage', 'feed', 'markdown', 'dirs', 'email', 'publicContacts', 'funding', 'lightning', 'monetization', 'fundingManifest', 'images', 'image', 'icon', 'params', 'strings', 'replies', 'webmention'];
const NESTED_KEYS: Record<string, string[]> = {
  author: AUTHOR_KEYS,
  fundingManifest: FUNDING_MANIFEST_KEYS,
  feed: ['items', 'fullContent'],
  markdown: ['trustHtml', 'strictLinks'],
  dirs: ['content', 'static', 'layouts', 'out', 'followLinksOutside'],
  email: EMAIL_KEYS,
  images: IMAGES_KEYS,
  webmention: WEBMENTION_KEYS,
};

function fail(ctx: Context, path: string[], message: string, hint: string): never {
  const at = ctx.locate(path);
  throw new SignetError(message, { file: ctx.file, line: at?.line, column: at?.column, hint });
}

/** Levenshtein distance, for "did you mean" suggestions on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1]!.toLowerCase() === b[j - 1]!.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

export function suggest(word: string, choices: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const choice of choices) {
    const d = distance(word, choice);
    if (d < bestDistance) {
      best = choice;
      bestDistance = d;
    }
  }
  return best;
}

function checkKeys(ctx: Context, value: Raw, allowed: string[], prefix: string[]): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    const guess = suggest(key, allowed);
    const name = [...prefix, key].join('.');
    fail(ctx, [...prefix, key], `unknown config key \`${name}\``,
      guess ? `Did you mean \`${[...prefix, guess].join('.')}\`?` : `Known keys here: ${allowed.join(', ')}.`);
  }
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(ctx: Context, raw: Raw, path: string[], fallback?: string): string {
  const value = raw[path[path.length - 1]!];
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    fail(ctx, path, `\`${path.join('.')}\` is missing`, `Add \`${path.join('.')}: …\` to the config.`);
  }
  if (typeof value !== 'string') {
    fail(ctx, path, `\`${path.join('.')}\` must be text, not ${describe(value)}`, `Write it in quotes, for example \`${path.join('.')}: "…"\`.`);
  }
  return value;
}

function integer(ctx: Context, raw: Raw, path: string[], fallback: number): number {
  const value = raw[path[path.length - 1]!];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    fail(ctx, path, `\`${path.join('.')}\` must be a whole number of 1 or more, not ${describe(value)}`, `For example \`${path.join('.')}: ${fallback}\`.`);
  }
  return value;
}

function boolean(ctx: Context, raw: Raw, path: string[], fallback: boolean): boolean {
  const value = raw[path[path.length - 1]!];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    fail(ctx, path, `\`${path.join('.')}\` must be true or false, not ${describe(value)}`, `For example \`${path.join('.')}: ${fallback}\`.`);
  }
  return value;
}

function absoluteUrl(ctx: Context, value: string, path: string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    fail(ctx, path, `\`${path.join('.')}\` must be an absolute URL, not "${value}"`, 'For example `url: https://example.com/`.');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    fail(ctx, path, `\`${path.join('.')}\` must start with https:// or http://, not "${value}"`, 'For example `url: https://example.com/`.');
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    fail(ctx, path, `\`${path.join('.')}\` must not carry a query, fragment or credentials: "${value}"`, 'Give just the scheme, host and path, for example `url: https://example.com/blog/`.');
  }
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'empty';
  if (typeof value === 'object') return 'a group of keys';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function author(ctx: Context, raw: Raw, title: string, root: string, folders: string[], warnings: ConfigWarning[]): Author {
  const value = raw.author;
  if (value === undefined || value === null) return { name: title };
  if (typeof value === 'string') return { name: nfc(value) };
  if (!isRecord(value)) {
    fail(ctx, ['author'], `\`author\` must be a name or a group with \`name\` and \`url\`, not ${describe(value)}`, 'For example `author: Ada` (a pen name is fine; no email needed).');
  }
  checkKeys(ctx, value, NESTED_KEYS.author!, ['author']);
  const name = nfc(text(ctx, value, ['author', 'name']));
  const url = value.url === undefined ? undefined : absoluteUrl(ctx, text(ctx, value, ['author', 'url']), ['author', 'url']);
  const result: Author = url ? { name, url } : { name };
  const check = { fail: (path: string[], message: string, hint: string) => fail(ctx, path, message, hint) };
  if (value.avatar !== undefined && value.avatar !== null) result.avatar = avatarPath(value.avatar, root, folders, check);
  if (value.bio !== undefined && value.bio !== null) result.bio = nfc(text(ctx, value, ['author', 'bio']));
  if (value.me !== undefined && value.me !== null) result.me = meLinks(value.me, check);
  return result;
}

function textList(ctx: Context, raw: Raw, path: string[]): string[] | undefined {
  const value = raw[path[path.length - 1]!];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    fail(ctx, path, `\`${path.join('.')}\` must be a list of text, not ${describe(value)}`, `For example \`${path.join('.')}: ["…"]\`.`);
  }
  return value as string[];
}

/** The config's published text (not `email`, whose From address is published on purpose) holds no contact detail. */
function warnContacts(ctx: Context, config: SiteConfig, warnings: ConfigWarning[]): void {
  const fields: [string[], string][] = [[['title'], config.title], [['description'], config.description], [['author', 'name'], config.author.name]];
  for (const [path, value] of fields) {
    for (const found of findContacts(value, config.publicContacts)) {
      warnings.push({
        file: ctx.file,
        line: ctx.locate(path)?.line ?? ctx.locate([path[0]!])?.line,
        message: `\`${path.join('.')}\` holds ${found.value}, which looks like an email address or phone number: it would be published beside your pen name. Remove it, or list it under \`publicContacts:\``,
      });
    }
  }
}

/** Funding links, the lightning address, Web Monetization and funding.json: each only when written. */
function support(ctx: Context, raw: Raw, config: SiteConfig, warnings: ConfigWarning[]): void {
  const check = { fail: (path: string[], message: string, hint: string) => fail(ctx, path, message, hint) };
  const funding = raw.funding === undefined || raw.funding === null ? [] : fundingLinks(raw.funding, 'funding', (i, key, message, hint) => fail(ctx, ['funding', ...(i === undefined ? [] : [String(i)]), ...(key === undefined ? [] : [key])], message, hint));
  if (raw.lightning !== undefined && raw.lightning !== null) funding.push(lightningLink(raw.lightning, check));
  if (funding.length > 0) config.funding = funding;
  if (raw.monetization !== undefined && raw.monetization !== null) {
    const { url, warning } = monetizationAddress(raw.monetization, check);
    config.monetization = url;
    if (warning) warnings.push({ file: ctx.file, line: ctx.locate(['monetization'])?.line, message: warning });
  }
  if (raw.fundingManifest !== undefined && raw.fundingManifest !== null) config.fundingManifest = fundingManifest(group(ctx, raw, 'fundingManifest'), check);
}

function group(ctx: Context, raw: Raw, key: string): Raw {
  const value = raw[key];
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    fail(ctx, [key], `\`${key}\` must be a group of keys (${NESTED_KEYS[key]!.join(', ')}), not ${describe(value)}`, `Indent its keys under \`${key}:\`.`);
  }
  checkKeys(ctx, value, NESTED_KEYS[key]!, [key]);
  return value;
}

/** Checks a parsed config and fills in defaults. Throws a SignetError naming the key, its line and the fix. */
export function validateConfig(raw: unknown, root: string, file: string | undefined, locate: Locate = () => undefined): SiteConfig {
  const ctx: Context = { file: file ?? 'signet.config.yaml', locate };
  if (!isRecord(raw)) {
    fail(ctx, [], 'the config must be a group of keys such as `title:` and `url:`', 'See the configuration reference in the README.');
  }
  checkKeys(ctx, raw, TOP_KEYS, []);
  // Text that reaches pages, feeds and signed posts is NFC, as the signatures require.
  const title = nfc(text(ctx, raw, ['title']));
  const url = absoluteUrl(ctx, text(ctx, raw, ['url']), ['url']);
  const warnings: ConfigWarning[] = [];
  if (url.startsWith('http:')) {
    warnings.push({
      file: ctx.file,
      line: locate(['url'])?.line,
      message: `\`url\` is ${url}, but did:web keys are always fetched over https: readers can only verify the posts if the site is served at https://${url.slice('http://'.length)}. Write \`url: https://…\` once it is.`,
    });
  }
  const language = text(ctx, raw, ['language'], DEFAULTS.language);
  // The grammar the signed envelope is held to (spec §4.1), so that no tag passes here and then stops
  // every post at signing: "de-419-DE" is refused, "i-klingon" and "x-private" are well-formed. A
  // primary subtag of 4 to 8 letters is well-formed too, but no language has one: "English" is a
  // mistake, refused here.
  if (!isLanguageTag(language) || /^[A-Za-z]{4,8}(?:-|$)/.test(language)) {
    fail(ctx, ['language'], `\`language\` must be a language tag such as "en" or "pt-BR", not "${language}"`, 'Use the BCP 47 tag of the language the site is written in.');
  }
  const permalink = text(ctx, raw, ['permalink'], DEFAULTS.permalink);
  if (!permalink.startsWith('/') || !permalink.endsWith('/') || !/:(slug|path)\b/.test(permalink)) {
    fail(ctx, ['permalink'], `\`permalink\` must start and end with "/" and contain :slug or :path, not "${permalink}"`, 'For example `permalink: /:year/:slug/` or `/posts/:slug/`.');
  }
  const feed = group(ctx, raw, 'feed');
  const markdown = group(ctx, raw, 'markdown');
  const dirs = group(ctx, raw, 'dirs');
  const dir = (key: 'content' | 'static' | 'layouts' | 'out') => {
    const value = text(ctx, dirs, ['dirs', key], DEFAULTS.dirs[key]);
    // `.signet/` holds the secret signing keys and caches: no folder the build reads or writes may be in it.
    const inside = path.relative(root, path.resolve(root, value)).split(path.sep);
    if (inside[0]?.toLowerCase() === '.signet') {
      fail(ctx, ['dirs', key], `\`dirs.${key}\` must not be in .signet/, which holds the secret signing keys: "${value}"`, `Use a folder of its own, for example \`dirs.${key}: ${DEFAULTS.dirs[key]}\`.`);
    }
    return value;
  };
  const config: SiteConfig = {
    root,
    file,
    title,
    url,
    language,
    description: nfc(text(ctx, raw, ['description'], DEFAULTS.description)),
    author: author(ctx, raw, title, root, [text(ctx, dirs, ['dirs', 'static'], DEFAULTS.dirs.static), text(ctx, dirs, ['dirs', 'content'], DEFAULTS.dirs.content)], warnings),
    permalink,
    postsPerPage: integer(ctx, raw, ['postsPerPage'], DEFAULTS.postsPerPage),
    feed: {
      items: integer(ctx, feed, ['feed', 'items'], DEFAULTS.feed.items),
      fullContent: boolean(ctx, feed, ['feed', 'fullContent'], DEFAULTS.feed.fullContent),
    },
    markdown: {
      trustHtml: boolean(ctx, markdown, ['markdown', 'trustHtml'], DEFAULTS.markdown.trustHtml),
      strictLinks: boolean(ctx, markdown, ['markdown', 'strictLinks'], DEFAULTS.markdown.strictLinks),
    },
    dirs: {
      content: dir('content'),
      static: dir('static'),
      layouts: dir('layouts'),
      out: dir('out'),
      followLinksOutside: boolean(ctx, dirs, ['dirs', 'followLinksOutside'], DEFAULTS.dirs.followLinksOutside),
    },
  };
  const publicContacts = textList(ctx, raw, ['publicContacts']);
  if (publicContacts) config.publicContacts = publicContacts;
  warnContacts(ctx, config, warnings);
  support(ctx, raw, config, warnings);
  for (const key of ['image', 'icon'] as const) {
    if (raw[key] !== undefined && raw[key] !== null) config[key] = text(ctx, raw, [key]);
  }
  if (raw.params !== undefined && raw.params !== null) {
    if (!isRecord(raw.params)) fail(ctx, ['params'], `\`params\` must be a group of keys, not ${describe(raw.params)}`, 'Indent your own keys under `params:`; layouts read them as `site.params.KEY`.');
    config.params = raw.params;
  }
  if (raw.strings !== undefined && raw.strings !== null) {
    const strings = raw.strings;
    if (!isRecord(strings) || Object.values(strings).some((value) => typeof value !== 'string')) {
      fail(ctx, ['strings'], `\`strings\` must be a group of texts, not ${describe(strings)}`, 'For example `strings: { tags: Topics }`: the theme\'s words by name, in your words.');
    }
    config.strings = Object.fromEntries(Object.entries(strings).map(([key, value]) => [key, nfc(value as string)]));
    const lines = Object.keys(strings).map((key) => [key, locate(['strings', key])?.line] as const).filter((pair): pair is [string, number] => pair[1] !== undefined);
    if (lines.length > 0) config.stringLines = Object.fromEntries(lines);
  }
  if (raw.replies !== undefined && raw.replies !== null) {
    const replies = raw.replies;
    if (typeof replies !== 'string' || !(REPLIES_POLICIES as readonly string[]).includes(replies)) {
      const guess = typeof replies === 'string' ? suggest(replies, REPLIES_POLICIES) : undefined;
      fail(ctx, ['replies'], `\`replies\` must be ${REPLIES_POLICIES.join(', ')}, not ${describe(replies)}`,
        `${guess ? `Did you mean \`replies: ${guess}\`? ` : ''}\`signed\` shows replies verified against their domain's key (the default), \`followed\` also unsigned ones from sites you follow, \`none\` no replies.`);
    }
    config.replies = replies as RepliesPolicy;
  }
  if (warnings.length > 0) config.warnings = warnings;
  if (raw.email !== undefined && raw.email !== null) {
    const email = group(ctx, raw, 'email');
    config.email = emailConfig(email, new URL(url).hostname, {
      text: (path) => (email[path[1]!] === undefined || email[path[1]!] === null ? undefined : text(ctx, email, path)),
      fail: (path, message, hint) => fail(ctx, path, message, hint),
    });
  }
  if (raw.webmention !== undefined && raw.webmention !== null) {
    const webmention = group(ctx, raw, 'webmention');
    config.webmention = webmentionConfig({
      text: (path) => (webmention[path[1]!] === undefined || webmention[path[1]!] === null ? undefined : text(ctx, webmention, path)),
      fail: (path, message, hint) => fail(ctx, path, message, hint),
    });
  }
  if (raw.images !== undefined && raw.images !== null) {
    config.images = imagesConfig(group(ctx, raw, 'images'), { fail: (path, message, hint) => fail(ctx, path, message, hint) });
  }
  return config;
}

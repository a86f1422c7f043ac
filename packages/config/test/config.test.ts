import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULTS,
  findContacts,
  SignetError,
  findConfigFile,
  requireConfigFile,
  formatError,
  warningLines,
  isSignetError,
  loadConfig,
  parseConfig,
  suggest,
  validateConfig,
} from '../src/index.js';

const FILE = '/site/signet.config.yaml';

function parse(source: string) {
  return parseConfig(source, '/site', FILE);
}

/** The SignetError a config text throws, or a failure when it does not throw one. */
function errorOf(source: string): SignetError {
  try {
    parse(source);
  } catch (error) {
    if (isSignetError(error)) return error;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

const dirs: string[] = [];
function tempSite(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'signet-config-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('defaults', () => {
  it('fills every optional key', () => {
    const config = parse('title: My site\nurl: https://example.com\n');
    expect(config).toEqual({
      root: '/site',
      file: FILE,
      title: 'My site',
      url: 'https://example.com/',
      language: 'en',
      description: '',
      author: { name: 'My site' },
      permalink: '/:path/',
      postsPerPage: 10,
      feed: { items: 20, fullContent: true },
      markdown: { trustHtml: false, strictLinks: false },
      dirs: { content: 'content', static: 'static', layouts: 'layouts', out: 'dist', followLinksOutside: false },
    });
    expect(DEFAULTS.feed.fullContent).toBe(true);
  });

  it('keeps the values a site sets', () => {
    const config = parse([
      'title: Notes',
      'url: https://example.com/blog',
      'language: pt-BR',
      'description: Short notes',
      'author: { name: Ada, url: "https://ada.example" }',
      'permalink: /:year/:month/:slug/',
      'postsPerPage: 5',
      'feed: { items: 3, fullContent: false }',
      'markdown: { trustHtml: true }',
      'dirs: { content: posts, out: public }',
      '',
    ].join('\n'));
    expect(config.url).toBe('https://example.com/blog/');
    expect(config.language).toBe('pt-BR');
    expect(config.author).toEqual({ name: 'Ada', url: 'https://ada.example/' });
    expect(config.permalink).toBe('/:year/:month/:slug/');
    expect(config.postsPerPage).toBe(5);
    expect(config.feed).toEqual({ items: 3, fullContent: false });
    expect(config.markdown.trustHtml).toBe(true);
    expect(config.dirs).toEqual({ content: 'posts', static: 'static', layouts: 'layouts', out: 'public', followLinksOutside: false });
  });

  it('takes a plain string author as the name', () => {
    expect(parse('title: T\nurl: https://example.com/\nauthor: Pen Name\n').author).toEqual({ name: 'Pen Name' });
  });

  it('gives url a trailing slash and keeps one that is there', () => {
    expect(parse('title: T\nurl: https://example.com/blog\n').url).toBe('https://example.com/blog/');
    expect(parse('title: T\nurl: https://example.com/blog/\n').url).toBe('https://example.com/blog/');
    expect(parse('title: T\nurl: http://localhost:8080\n').url).toBe('http://localhost:8080/');
  });

  it('keeps YAML 1.2 words such as `no` as text', () => {
    expect(parse('title: T\nurl: https://example.com/\nlanguage: no\n').language).toBe('no');
  });
});

describe('validation errors name the key, its line and column, and the fix', () => {
  it('no folder may be in .signet/, which holds the secret keys', () => {
    for (const [key, value] of [['static', '.signet'], ['static', '.signet/keys'], ['content', '.signet/keys'], ['layouts', './.signet'], ['out', 'x/../.signet/out'], ['static', '/site/.signet/keys'], ['static', '.Signet/keys']]) {
      const error = errorOf(`title: T\nurl: https://example.com/\ndirs:\n  ${key}: ${value}\n`);
      expect(error.message).toBe(`\`dirs.${key}\` must not be in .signet/, which holds the secret signing keys: "${value}"`);
      expect(error.line).toBe(4);
    }
    expect(parse('title: T\nurl: https://example.com/\ndirs:\n  static: .signet-public\n').dirs.static).toBe('.signet-public');
    expect(parse('title: T\nurl: https://example.com/\ndirs:\n  followLinksOutside: true\n').dirs.followLinksOutside).toBe(true);
  });

  it('unknown top-level key with a suggestion', () => {
    const error = errorOf('title: T\nurl: https://example.com/\ntitel: Oops\n');
    expect(error.message).toBe('unknown config key `titel`');
    expect(error.file).toBe(FILE);
    expect(error.line).toBe(3);
    expect(error.column).toBe(1);
    expect(error.hint).toBe('Did you mean `title`?');
  });

  it('unknown nested key with a suggestion and its own position', () => {
    const error = errorOf('title: T\nurl: https://example.com/\nfeed:\n  itmes: 5\n');
    expect(error.message).toBe('unknown config key `feed.itmes`');
    expect(error.line).toBe(4);
    expect(error.column).toBe(3);
    expect(error.hint).toBe('Did you mean `feed.items`?');
  });

  it('unknown key with nothing close lists the known keys', () => {
    const error = errorOf('title: T\nurl: https://example.com/\nmarkdown:\n  zzzzzzzz: true\n');
    expect(error.hint).toBe('Known keys here: trustHtml, strictLinks.');
  });

  it('missing title and url', () => {
    expect(errorOf('url: https://example.com/\n').message).toBe('`title` is missing');
    const error = errorOf('title: T\n');
    expect(error.message).toBe('`url` is missing');
    expect(error.hint).toContain('url: …');
  });

  it('wrong types', () => {
    const title = errorOf('title: 42\nurl: https://example.com/\n');
    expect(title.message).toBe('`title` must be text, not number 42');
    expect([title.line, title.column]).toEqual([1, 1]);
    expect(title.hint).toContain('quotes');

    const perPage = errorOf('title: T\nurl: https://example.com/\npostsPerPage: "ten"\n');
    expect(perPage.message).toBe('`postsPerPage` must be a whole number of 1 or more, not string "ten"');
    expect(perPage.line).toBe(3);
    expect(perPage.hint).toBe('For example `postsPerPage: 10`.');

    expect(errorOf('title: T\nurl: https://example.com/\npostsPerPage: 0\n').message).toContain('not number 0');
    expect(errorOf('title: T\nurl: https://example.com/\npostsPerPage: 2.5\n').message).toContain('not number 2.5');

    const full = errorOf('title: T\nurl: https://example.com/\nfeed:\n  fullContent: "yes"\n');
    expect(full.message).toBe('`feed.fullContent` must be true or false, not string "yes"');
    expect([full.line, full.column]).toEqual([4, 3]);

    const group = errorOf('title: T\nurl: https://example.com/\nfeed: [1, 2]\n');
    expect(group.message).toBe('`feed` must be a group of keys (items, fullContent), not a list');
    expect(group.line).toBe(3);

    const author = errorOf('title: T\nurl: https://example.com/\nauthor: [Ada]\n');
    expect(author.message).toContain('`author` must be a name or a group');
    expect(author.hint).toContain('no email needed');
  });

  it('a config that is not a group of keys', () => {
    expect(errorOf('- just\n- a list\n').message).toContain('must be a group of keys');
  });

  it('bad url', () => {
    const relative = errorOf('title: T\nurl: example.com\n');
    expect(relative.message).toBe('`url` must be an absolute URL, not "example.com"');
    expect([relative.line, relative.column]).toEqual([2, 1]);
    expect(relative.hint).toBe('For example `url: https://example.com/`.');

    expect(errorOf('title: T\nurl: ftp://example.com/\n').message).toBe('`url` must start with https:// or http://, not "ftp://example.com/"');
    expect(errorOf('title: T\nurl: https://example.com/?a=1\n').message).toContain('must not carry a query, fragment or credentials');
    expect(errorOf('title: T\nurl: https://example.com/#top\n').message).toContain('must not carry a query');
    expect(errorOf('title: T\nurl: https://user:pw@example.com/\n').message).toContain('credentials');

    const authorUrl = errorOf('title: T\nurl: https://example.com/\nauthor:\n  name: Ada\n  url: nope\n');
    expect(authorUrl.message).toBe('`author.url` must be an absolute URL, not "nope"');
    expect(authorUrl.line).toBe(5);
  });

  it('bad language tag', () => {
    const error = errorOf('title: T\nurl: https://example.com/\nlanguage: English\n');
    expect(error.message).toBe('`language` must be a language tag such as "en" or "pt-BR", not "English"');
    expect([error.line, error.column]).toEqual([3, 1]);
    expect(error.hint).toContain('BCP 47');
    expect(errorOf('title: T\nurl: https://example.com/\nlanguage: en_US\n').message).toContain('not "en_US"');
    // The envelope's grammar (RFC 5646): one region only; grandfathered and private-use tags are well-formed.
    expect(errorOf('title: T\nurl: https://example.com/\nlanguage: de-419-DE\n').message).toContain('not "de-419-DE"');
    for (const tag of ['i-klingon', 'x-private', 'zh-Hant-TW', 'sr-Latn-RS']) expect(parse(`title: T\nurl: https://example.com/\nlanguage: ${tag}\n`).language).toBe(tag);
  });

  it('bad permalink', () => {
    for (const permalink of ['/:year/', ':slug/', '/posts/:slug']) {
      const error = errorOf(`title: T\nurl: https://example.com/\npermalink: "${permalink}"\n`);
      expect(error.message).toBe(`\`permalink\` must start and end with "/" and contain :slug or :path, not "${permalink}"`);
      expect(error.line).toBe(3);
      expect(error.hint).toContain('/:year/:slug/');
    }
  });

  it('formatError prints file:line:column, the message and the hint', () => {
    const error = errorOf('title: T\nurl: https://example.com/\nlanguage: English\n');
    expect(formatError(error)).toBe(
      `${FILE}:3:1: \`language\` must be a language tag such as "en" or "pt-BR", not "English"\n  Use the BCP 47 tag of the language the site is written in.`,
    );
  });
});

describe('YAML syntax', () => {
  it('names the line of a syntax error', () => {
    const error = errorOf('title: T\nurl: https://example.com/\ndescription: a: b\nfeed:\n  items: 3\n');
    expect(error.message).toMatch(/^the config is not valid YAML: /);
    expect(error.file).toBe(FILE);
    expect(error.line).toBe(3);
    expect(error.column).toBe(14);
    expect(error.hint).toContain('YAML syntax');
  });

  it('refuses a repeated key', () => {
    const error = errorOf('title: T\nurl: https://example.com/\ntitle: Again\n');
    expect(error.message).toMatch(/not valid YAML/);
    expect(error.line).toBe(3);
  });
});

describe('files', () => {
  it('loads signet.config.yaml from a folder', () => {
    const root = tempSite();
    writeFileSync(path.join(root, 'signet.config.yaml'), 'title: Disk\nurl: https://disk.example\n');
    const config = loadConfig(root);
    expect(config.title).toBe('Disk');
    expect(config.root).toBe(root);
    expect(config.file).toBe(path.join(root, 'signet.config.yaml'));
  });

  it('reads a JSON config and reports its positions', () => {
    const root = tempSite();
    const file = path.join(root, 'signet.config.json');
    writeFileSync(file, '{\n  "title": "JSON site",\n  "url": "https://json.example",\n  "feed": { "items": 2 }\n}\n');
    expect(findConfigFile(root)).toBe(file);
    const config = loadConfig(root);
    expect(config.title).toBe('JSON site');
    expect(config.url).toBe('https://json.example/');
    expect(config.feed.items).toBe(2);

    writeFileSync(file, '{\n  "title": "JSON site",\n  "url": "https://json.example",\n  "langauge": "en"\n}\n');
    try {
      loadConfig(root);
      expect.unreachable();
    } catch (error) {
      expect(isSignetError(error)).toBe(true);
      const e = error as SignetError;
      expect(e.message).toBe('unknown config key `langauge`');
      expect(e.file).toBe(file);
      expect([e.line, e.column]).toEqual([4, 3]);
      expect(e.hint).toBe('Did you mean `language`?');
    }
  });

  it('prefers .yaml over .yml over .json', () => {
    const root = tempSite();
    writeFileSync(path.join(root, 'signet.config.json'), '{}');
    writeFileSync(path.join(root, 'signet.config.yml'), 'title: x');
    expect(findConfigFile(root)).toBe(path.join(root, 'signet.config.yml'));
    writeFileSync(path.join(root, 'signet.config.yaml'), 'title: x');
    expect(findConfigFile(root)).toBe(path.join(root, 'signet.config.yaml'));
  });

  it('a folder without a config says how to start one', () => {
    const root = tempSite();
    expect(findConfigFile(root)).toBeUndefined();
    expect(() => loadConfig(root)).toThrow(/no signet\.config\.yaml in /);
    try {
      loadConfig(root);
    } catch (error) {
      expect((error as SignetError).hint).toContain('signet init');
    }
    expect(() => requireConfigFile(root)).toThrow(/no signet\.config\.yaml in /);
    writeFileSync(path.join(root, 'signet.config.yaml'), 'title: T\n');
    expect(requireConfigFile(root)).toBe(path.join(root, 'signet.config.yaml'));
  });
});

describe('helpers', () => {
  it('suggest finds close words, case-insensitively, and nothing for distant ones', () => {
    expect(suggest('postsperpage', ['title', 'postsPerPage'])).toBe('postsPerPage');
    expect(suggest('urll', ['url', 'title'])).toBe('url');
    expect(suggest('completely-different', ['url', 'title'])).toBeUndefined();
  });

  it('validateConfig works without a file or locator', () => {
    const config = validateConfig({ title: 'T', url: 'https://example.com' }, '/r', undefined);
    expect(config.file).toBeUndefined();
    try {
      validateConfig({ title: 'T', url: 'https://example.com', nope: 1 }, '/r', undefined);
      expect.unreachable();
    } catch (error) {
      const e = error as SignetError;
      expect(e.file).toBe('signet.config.yaml');
      expect(e.line).toBeUndefined();
    }
  });

  it('formatError handles plain errors and errors without a position', () => {
    expect(formatError(new SignetError('plain', { hint: 'do this' }))).toBe('plain\n  do this');
    expect(formatError(new SignetError('at file', { file: 'a.md' }))).toBe('a.md: at file');
    expect(formatError(new SignetError('line only', { file: 'a.md', line: 3 }))).toBe('a.md:3: line only');
    expect(formatError('text')).toBe('text');
    expect(isSignetError(new Error('x'))).toBe(false);
  });
});

it('exports exactly this API', async () => {
  expect(Object.keys(await import('../src/index.js')).sort()).toEqual([
    'CONFIG_FILES', 'DEFAULTS', 'MAX_FUNDING_LABEL', 'SignetError', 'describeYamlError', 'findConfigFile', 'findContacts', 'formatError', 'fundingLinks', 'isSignetError', 'loadConfig', 'nfc', 'parseConfig', 'parseDataFile', 'paymentUrlProblem', 'requireConfigFile', 'suggest', 'validateConfig', 'warningLine', 'warningLines', 'yamlToData',
  ]);
});

describe('input a writer did not mean', () => {
  it('an unclosed `[` or quote is reported where it opened, not where the parser gave up', () => {
    const bracket = errorOf('title: T\nurl: https://example.com/\nfeed: { items: 3\nlanguage: en\n');
    expect(bracket.message).toContain('the `{` opened here is never closed');
    expect([bracket.line, bracket.column]).toEqual([3, 7]);
    const quote = errorOf('title: "T\nurl: https://example.com/\nlanguage: en\n');
    expect(quote.message).toContain('the quote `"` opened here is never closed');
    expect([quote.line, quote.column]).toEqual([1, 8]);
  });

  it('an alias bomb is refused with the line of its first alias, not a ReferenceError', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(', ')}]`);
    const error = errorOf(`title: T\nurl: https://example.com/\n${levels.join('\n')}\n`);
    expect(error.message).toContain('aliases');
    expect(error.line).toBe(4);
  });

  it('an http url builds, with a warning that did:web is fetched over https', () => {
    const config = parse('title: T\nurl: http://example.com/\n');
    expect(config.warnings).toEqual([expect.objectContaining({ file: FILE, line: 2, message: expect.stringContaining('https://example.com/') })]);
    expect(parse('title: T\nurl: https://example.com/\n').warnings).toBeUndefined();
  });

  it('the title, description and author name are NFC', () => {
    const config = parse('title: "Zoe\u0308"\nurl: https://example.com/\ndescription: "Cafe\u0301"\nauthor: "Zoe\u0308 Q"\n');
    expect([config.title, config.description, config.author.name]).toEqual(['Zo\u00eb', 'Caf\u00e9', 'Zo\u00eb Q']);
    expect(parse('title: T\nurl: https://example.com/\nauthor: { name: "Zoe\u0308" }\n').author.name).toBe('Zo\u00eb');
  });
});

const BASE = 'title: Notes\nurl: https://blog.notes.example/\n';

describe('email config', () => {
  it('is absent unless the site has an email group', () => {
    expect(parse(BASE).email).toBeUndefined();
  });

  it('reads the From address and its domain, on the site or its parent domain', () => {
    const config = parse(BASE + 'email:\n  from: "Notes <Letters@Notes.example>"\n  unsubscribeUrl: https://notes.example/u\n  dkimSelector: s1\n');
    expect(config.email).toEqual({ from: 'Notes <Letters@Notes.example>', address: 'Letters@Notes.example', domain: 'notes.example', unsubscribeUrl: 'https://notes.example/u', dkimSelector: 's1' });
  });

  it('refuses a From on another domain, naming the line', () => {
    const error = errorOf(BASE + 'email:\n  from: letters@mailchimp.example\n');
    expect(error.message).toContain("must be on the site's domain");
    expect(error.line).toBe(4);
  });

  it('refuses an http unsubscribe endpoint, a bad selector, a missing from and unknown keys', () => {
    expect(errorOf(BASE + 'email:\n  from: a@notes.example\n  unsubscribeUrl: http://notes.example/u\n').message).toContain('https://');
    expect(errorOf(BASE + 'email:\n  from: a@notes.example\n  dkimSelector: "a b"\n').message).toContain('DNS label');
    expect(errorOf(BASE + 'email:\n  unsubscribeUrl: https://notes.example/u\n').message).toContain('`email.from` is missing');
    expect(errorOf(BASE + 'email:\n  from: a@notes.example\n  form: x\n').hint).toContain('email.from');
    expect(errorOf(BASE + 'email:\n  from: "not an address"\n').message).toContain('must be an address');
  });
});

describe('webmention config', () => {
  it('reads the receiver\'s endpoint and mentions feed', () => {
    expect(parse(BASE).webmention).toBeUndefined();
    const config = parse(BASE + 'webmention:\n  endpoint: https://webmention.io/notes.example/webmention\n  feed: https://webmention.io/api/mentions.jf2?domain=notes.example\n');
    expect(config.webmention).toEqual({ endpoint: 'https://webmention.io/notes.example/webmention', feed: 'https://webmention.io/api/mentions.jf2?domain=notes.example' });
  });

  it('refuses a URL that is not http(s), a token in the feed, and unknown keys, naming the line', () => {
    const bad = errorOf(BASE + 'webmention:\n  endpoint: webmention.io/x\n');
    expect([bad.message, bad.line]).toEqual(['`webmention.endpoint` must be an absolute http(s) URL, not "webmention.io/x"', 4]);
    expect(errorOf(BASE + 'webmention:\n  endpoint: javascript:alert(1)\n').message).toContain('absolute http(s) URL');
    const token = errorOf(BASE + 'webmention:\n  feed: https://webmention.io/api/mentions.jf2?domain=notes.example&token=secret\n');
    expect(token.message).toContain('carries a token');
    expect(token.hint).toContain('SIGNET_WEBMENTION_TOKEN');
    expect(errorOf(BASE + 'webmention:\n  endpont: https://x.example/\n').hint).toContain('webmention.endpoint');
  });
});

describe('findContacts', () => {
  it('finds addresses and phone numbers with their lines, but not mailto: links, handles, file names or allowed ones', () => {
    const text = 'Hi wren@mail.example.\n[me](mailto:me@site.example) me@site.example @wren@social.example /a@2x.png\nCall +1 (555) 123-4567 or tel:+15551234567.\nC++ 2026-11-26 @signet/cli';
    expect(findContacts(text)).toEqual([
      { value: 'wren@mail.example', line: 1 },
      { value: '+1 (555) 123-4567', line: 3 },
      { value: '+15551234567', line: 3 },
    ]);
    expect(findContacts(text, ['WREN@mail.example', '+15551234567'])).toEqual([]);
    expect(findContacts('no contact here: 10 + 20 = 30')).toEqual([]);
  });
});

describe('replies', () => {
  it('is absent unless written, and takes signed, followed or none', () => {
    expect(parse('title: T\nurl: https://example.com/\n').replies).toBeUndefined();
    for (const policy of ['signed', 'followed', 'none']) expect(parse(`title: T\nurl: https://example.com/\nreplies: ${policy}\n`).replies).toBe(policy);
  });

  it('refuses any other value with its line and the values it takes', () => {
    const error = errorOf('title: T\nurl: https://example.com/\nreplies: folowed\n');
    expect(formatError(error)).toMatch(/^\/site\/signet\.config\.yaml:3:\d+: `replies` must be signed, followed, none, not string "folowed"\n.*Did you mean `replies: followed`\?/);
    expect(errorOf('title: T\nurl: https://example.com/\nreplies: true\n').message).toContain('not boolean true');
  });
});

describe('warningLines', () => {
  const warn = (file: string, message: string, line?: number) => ({ file, message, ...(line ? { line } : {}) });
  it('prints each warning as file:line: message, in order, while few files share a message', () => {
    expect(warningLines([warn('a.md', 'one', 3), warn('b.md', 'two'), warn('c.md', 'one', 1)])).toEqual([
      'warning: a.md:3: one', 'warning: c.md:1: one', 'warning: b.md: two',
    ]);
  });
  it('prints a message many files share for the first three, then once as a count naming a few more', () => {
    const many = Array.from({ length: 150 }, (_, i) => warn(`posts/p${i}.md`, 'no alt text', 4));
    const lines = warningLines([...many, warn('x.md', 'other')]);
    expect(lines).toEqual([
      'warning: posts/p0.md:4: no alt text', 'warning: posts/p1.md:4: no alt text', 'warning: posts/p2.md:4: no alt text',
      'warning: 147 more with the same warning (posts/p3.md, posts/p4.md, posts/p5.md, …): no alt text',
      'warning: x.md: other',
    ]);
    // Five of a kind are still printed one by one.
    expect(warningLines(many.slice(0, 5))).toHaveLength(5);
  });
});

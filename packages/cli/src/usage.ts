/**
 * What each command is called with: its usage line, its flags (the one list both the flag parser and
 * `signet <command> --help` read, so the help never names a flag the command refuses) and examples.
 * Kept apart from the commands so that help never loads a command's module.
 */
export interface FlagInfo {
  type: 'string' | 'boolean';
  short?: string;
  /** What the value looks like, shown in help: `--port 4000`. */
  value?: string;
  description: string;
}

export interface CommandHelp {
  usage: string;
  summary: string;
  flags: Record<string, FlagInfo>;
  examples: string[];
}

const root: FlagInfo = { type: 'string', value: 'DIR', description: 'The site folder (default: the current folder)' };

export const COMMANDS = {
  init: {
    usage: 'signet init [folder] [--yes] [--title T] [--url U] [--author NAME]',
    summary: 'Start a new site, with a signing key and a publish workflow',
    flags: {
      yes: { type: 'boolean', short: 'y', description: 'Ask nothing: take the defaults for whatever no flag gives' },
      title: { type: 'string', value: 'T', description: 'The site\'s title' },
      url: { type: 'string', value: 'U', description: 'The address readers will use, such as https://example.com/' },
      author: { type: 'string', value: 'NAME', description: 'The name shown on posts; a pen name is fine' },
    },
    examples: ['signet init my-site', 'signet init my-site --title "Field notes" --url field.example --author Wren --yes'],
  },
  build: {
    usage: 'signet build [--drafts] [--future] [--out DIR] [--root DIR] [--timings]',
    summary: 'Build the site into dist/, signed',
    flags: {
      drafts: { type: 'boolean', description: 'Include posts marked `draft: true`' },
      future: { type: 'boolean', description: 'Include posts dated in the future' },
      out: { type: 'string', value: 'DIR', description: 'Write the site here instead of dist/' },
      root,
      timings: { type: 'boolean', description: 'Print how long each step of the build took' },
    },
    examples: ['signet build', 'signet build --drafts --out preview'],
  },
  dev: {
    usage: 'signet dev [--port 4000] [--host 127.0.0.1] [--drafts] [--future] [--root DIR]',
    summary: 'Serve the site, rebuild on save and reload the browser',
    flags: {
      port: { type: 'string', value: '4000', description: 'The port to serve on (0: any free port)' },
      host: { type: 'string', value: '127.0.0.1', description: 'The address to listen on' },
      drafts: { type: 'boolean', description: 'Include posts marked `draft: true`' },
      future: { type: 'boolean', description: 'Include posts dated in the future' },
      root,
    },
    examples: ['signet dev', 'signet dev --port 8080 --drafts'],
  },
  preview: {
    usage: 'signet preview [--port 4173] [--host 127.0.0.1] [--root DIR]',
    summary: 'Serve the built dist/ as a static host would, to check it before deploying',
    flags: {
      port: { type: 'string', value: '4173', description: 'The port to serve on (0: any free port)' },
      host: { type: 'string', value: '127.0.0.1', description: 'The address to listen on' },
      root,
    },
    examples: ['signet build && signet preview', 'signet preview --port 8080'],
  },
  new: {
    usage: 'signet new "Title" [--root DIR]',
    summary: 'Start a new post in content/posts/',
    flags: { root },
    examples: ['signet new "Hello, world"'],
  },
  keys: {
    usage: 'signet keys generate | rotate | add | revoke ID [--at DATE] [--force] | list   [--root DIR]',
    summary: 'Make, rotate, add, revoke or list signing keys',
    flags: {
      at: { type: 'string', value: 'DATE', description: 'revoke: the moment the key stops being trusted (default: now)' },
      force: { type: 'boolean', description: 'revoke: replace the date of a key that is already revoked' },
      root,
    },
    examples: [
      'signet keys generate                      # the site\'s first key',
      'signet keys rotate                        # a new current key; old ones stay listed',
      'SIGNET_SIGNING_KEY=z3u2… signet keys add  # list the key of a secret made elsewhere',
      'signet keys revoke key-2026-11 --at 2026-12-01',
      'signet keys list',
    ],
  },
  verify: {
    usage: 'signet verify <url | file | folder> [--json] [--domain HOST] [--allow-http-loopback] [--allow-private-addresses]',
    summary: 'Check the signatures of a feed, page or built site',
    flags: {
      json: { type: 'boolean', description: 'Print the results as JSON' },
      domain: { type: 'string', value: 'HOST', description: 'The domain a local file or folder was published at' },
      'allow-http-loopback': { type: 'boolean', description: 'Allow plain http to 127.0.0.1 (for testing a local server)' },
      'allow-private-addresses': { type: 'boolean', description: 'Allow fetching from private and link-local addresses (refused by default)' },
    },
    examples: ['signet verify https://example.com/feed.xml', 'signet verify dist --domain example.com'],
  },
  import: {
    usage: 'signet import twitter <archive.zip | folder> [--into content/notes] [--include-replies] [--include-retweets] [--since DATE] [--allow-missing-media] [--root DIR]',
    summary: 'Turn a Twitter/X archive into notes on your own domain',
    flags: {
      into: { type: 'string', value: 'DIR', description: 'Where the notes go (default: content/notes)' },
      'include-replies': { type: 'boolean', description: 'Also import replies to other people' },
      'include-retweets': { type: 'boolean', description: 'Also import retweets' },
      since: { type: 'string', value: 'DATE', description: 'Only tweets from this date on' },
      'allow-missing-media': { type: 'boolean', description: 'Import tweets whose images are missing from the archive' },
      root,
    },
    examples: ['signet import twitter ~/Downloads/twitter-2026.zip', 'signet import twitter archive/ --since 2020-01-01'],
  },
  follow: {
    usage: 'signet follow <url> | --import export.opml | --trust-new-keys DOMAIN  [--allow-private-network] [--root DIR]',
    summary: 'Follow a site: find its feed and add it to following.opml',
    flags: {
      import: { type: 'string', value: 'FILE', description: 'Add every feed of a feed reader\'s OPML export' },
      'trust-new-keys': { type: 'string', value: 'DOMAIN', description: 'Accept the keys a followed domain replaced its old ones with' },
      'allow-private-network': { type: 'boolean', description: 'Allow private and loopback addresses (tests, intranets)' },
      root,
    },
    examples: ['signet follow https://example.org/', 'signet follow --import feeds.opml', 'signet follow --trust-new-keys example.org'],
  },
  unfollow: {
    usage: 'signet unfollow <url> [--root DIR]',
    summary: 'Stop following a site',
    flags: { root },
    examples: ['signet unfollow https://example.org/feed.xml'],
  },
  following: {
    usage: 'signet following [--json] [--root DIR]',
    summary: 'List the sites you follow, signed or not, and their last fetch',
    flags: { json: { type: 'boolean', description: 'Print the list as JSON' }, root },
    examples: ['signet following'],
  },
  fetch: {
    usage: 'signet fetch [--force] [--strict] [--timeout SECONDS] [--allow-private-network] [--root DIR]',
    summary: 'Read the feeds you follow, and the posts yours reply to, into .signet/network/ (the build stays offline)',
    flags: {
      force: { type: 'boolean', description: 'Ask feeds still fresh and hosts that asked to wait' },
      strict: { type: 'boolean', description: 'Exit 1 when a feed or an item failed' },
      timeout: { type: 'string', value: 'SECONDS', description: 'Time for each feed (default 10)' },
      'allow-private-network': { type: 'boolean', description: 'Allow private and loopback addresses (tests, intranets)' },
      root,
    },
    examples: ['signet fetch', 'signet fetch --strict'],
  },
  reply: {
    usage: 'signet reply <url> [--allow-private-network] [--root DIR]',
    summary: 'Read a post and start a draft reply to it (in_reply_to)',
    flags: {
      'allow-private-network': { type: 'boolean', description: 'Allow private and loopback addresses (tests, intranets)' },
      root,
    },
    examples: ['signet reply https://example.org/posts/hello/'],
  },
  email: {
    usage: 'signet email preview [post] | send [--subscribers FILE] [--backfill] [--resend POST --to ADDRESS] | status [--subscribers FILE] | doctor   [--root DIR]',
    summary: 'Send each new post to your subscribers by email, exactly once',
    flags: {
      subscribers: { type: 'string', value: 'FILE', description: 'send, status: the subscriber CSV (default: $SIGNET_SUBSCRIBERS); never inside content/, static/ or dist/' },
      backfill: { type: 'boolean', description: 'send: on the first send, also send the posts already published' },
      resend: { type: 'string', value: 'POST', description: 'send: send this one post again (with --to)' },
      to: { type: 'string', value: 'ADDRESS', description: 'send: the one address to resend to (with --resend)' },
      root,
    },
    examples: [
      'signet email preview                                  # the newest post as .signet/email/preview/*.eml',
      'SIGNET_SMTP_URL=smtp://user:pass@host:587 signet email send --subscribers ~/private/list.csv',
      'signet email status',
      'signet email doctor                                   # SPF, DKIM and DMARC of the From domain',
    ],
  },
  webmention: {
    usage: 'signet webmention send [--dry-run] [--strict] [--timeout SECONDS] [--allow-private-network] [--out DIR] [--root DIR]',
    summary: 'Tell the pages your posts link to (Webmention), once per version of each post; run it after deploying',
    flags: {
      'dry-run': { type: 'boolean', description: 'List what would be sent; fetch, send and record nothing' },
      strict: { type: 'boolean', description: 'Exit 1 when a mention failed' },
      timeout: { type: 'string', value: 'SECONDS', description: 'Time for each request (default 10)' },
      'allow-private-network': { type: 'boolean', description: 'Allow private and loopback addresses (tests, intranets)' },
      out: { type: 'string', value: 'DIR', description: 'The built site, when `signet build --out DIR` wrote it elsewhere than dist/' },
      root,
    },
    examples: ['signet build && signet webmention send --dry-run', 'signet webmention send'],
  },
} satisfies Record<string, CommandHelp>;

export type CommandName = keyof typeof COMMANDS;

/** Each command's usage line, for usage errors' hints. */
export const USAGE = Object.fromEntries(Object.entries(COMMANDS).map(([name, help]) => [name, help.usage])) as Record<CommandName, string>;

/** `signet <command> --help`: the usage line, what it does, every flag and examples. */
export function commandHelp(help: CommandHelp): string {
  const flags = [
    ...Object.entries(help.flags).map(([name, flag]) => [
      `${flag.short ? `-${flag.short}, ` : ''}--${name}${flag.value ? ` ${flag.value}` : ''}`, flag.description,
    ]),
    ['-h, --help', 'Show this help'],
  ];
  const width = Math.max(...flags.map(([left]) => left!.length));
  return [
    `Usage: ${help.usage}`,
    '',
    `${help.summary}.`,
    '',
    'Options:',
    ...flags.map(([left, right]) => `  ${left!.padEnd(width)}  ${right}`),
    '',
    'Examples:',
    ...help.examples.map((example) => `  ${example}`),
  ].join('\n');
}

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILES, parseConfig, SignetError } from '@signet/config';
import { nextKeyId, REGISTRY_FILE, secretPath } from '@signet/keys';
import { toUtcSeconds } from '@signet/sign';

/** Where a new site's workflow takes the Action from. */
export const ACTION_REF = 'signet-dev/signet@v1';

export interface SiteAnswers {
  title: string;
  /** Absolute base URL ending in `/`. */
  url: string;
  /** A pen name: it is published on every post, so never a legal name or an email by default. */
  author: string;
}

export const DEFAULT_ANSWERS: SiteAnswers = { title: 'My site', url: 'https://example.com/', author: 'Anonymous' };

/** `example.com/blog` → `https://example.com/blog/`. Throws a usable message for anything else. */
export function normalizeUrl(input: string): string {
  const raw = input.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? raw : `https://${raw}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    throw new SignetError(`"${input}" is not a web address`, { hint: 'Give the address readers will use, for example https://example.com/.' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new SignetError(`"${input}" must start with https:// or http://`, { hint: 'For example https://example.com/.' });
  }
  if (parsed.search || parsed.hash || parsed.username || parsed.password) {
    throw new SignetError(`"${input}" must not carry a query, fragment or credentials`, { hint: 'Give just the scheme, host and path, for example https://example.com/blog/.' });
  }
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

/** JSON strings are valid YAML double-quoted scalars, so any title or name survives the round trip. */
const quote = (value: string): string => JSON.stringify(value);

function configFile(answers: SiteAnswers): string {
  return [
    '# Site settings. `url` is the address readers use: every post is signed for its domain.',
    `title: ${quote(answers.title)}`,
    `url: ${quote(answers.url)}`,
    'language: en',
    'description: ""',
    '# The name shown on posts. A pen name is fine; no email is needed.',
    `author: ${quote(answers.author)}`,
    'permalink: /posts/:slug/',
    '',
  ].join('\n');
}

function firstPost(now: Date): string {
  return `---
title: Hello, world
date: ${toUtcSeconds(now)}
tags: [meta]
---

The first post on my own domain. It is signed with this site's key, so any reader can check that
it came from here and that nobody changed it on the way.
`;
}

function aboutPage(answers: SiteAnswers): string {
  return `---
title: About
---

${answers.title} is written by ${answers.author}.

<!-- Why a pen name: it is published on every post and in every signed copy, which cannot be taken
back. The domain and its key are the identity readers check; your legal name, email address and
phone number are not needed, and the build warns if one appears here or in a post. -->
`;
}

const GITIGNORE = `# Built site, dependencies, and Signet's secret keys and caches: never commit these.
dist/
node_modules/
.signet/
`;

function workflow(): string {
  return `# Builds the site, signs every post with the key in the SIGNET_SIGNING_KEY repository secret,
# verifies the result and publishes it to GitHub Pages on every push to main.
name: Publish

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  publish:
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: \${{ steps.signet.outputs.site-url }}
    steps:
      - uses: actions/checkout@v6
      - id: signet
        uses: ${ACTION_REF}
        with:
          signing-key: \${{ secrets.SIGNET_SIGNING_KEY }}
`;
}

/** Every file `init` writes, relative to the site folder, with its contents. */
export function siteFiles(answers: SiteAnswers, now: Date): { path: string; contents: string }[] {
  return [
    { path: 'signet.config.yaml', contents: configFile(answers) },
    { path: 'content/posts/hello-world.md', contents: firstPost(now) },
    { path: 'content/about.md', contents: aboutPage(answers) },
    { path: '.gitignore', contents: GITIGNORE },
    { path: '.github/workflows/publish.yml', contents: workflow() },
  ];
}

/** Files already in `root` that `init` would write: any of them means the folder is not ours to fill. */
export function conflicts(root: string, now: Date): string[] {
  const paths = [
    ...CONFIG_FILES,
    ...siteFiles(DEFAULT_ANSWERS, now).map((file) => file.path),
    REGISTRY_FILE,
    path.relative(root, secretPath(root, nextKeyId(undefined, now))),
  ];
  return [...new Set(paths)].filter((file) => existsSync(path.join(root, file)));
}

/**
 * Writes the site's files. The config is validated first, so bad answers stop before anything is
 * written; each file is created with `wx`, so an existing file is never replaced.
 */
export function writeSite(root: string, answers: SiteAnswers, now: Date): string[] {
  const files = siteFiles(answers, now);
  parseConfig(files[0]!.contents, root, path.join(root, 'signet.config.yaml'));
  for (const file of files) {
    const target = path.join(root, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents, { flag: 'wx' });
  }
  return files.map((file) => file.path);
}

// Helpers for the Action's shell steps. Run with the Signet packages already built:
//   node site.mjs info SITE [BASE_URL]       site-url, host and the output folder, as KEY=VALUE lines
//   node site.mjs overlay SITE BASE_URL DIR  a copy of SITE in DIR whose config uses BASE_URL
//   node site.mjs count OUT                  how many pages in OUT carry a signed envelope
//   node site.mjs mask                       ::add-mask:: lines for every encoding of $SIGNET_SIGNING_KEY
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findConfigFile, formatError, loadConfig, SignetError } from '@signet/config';
import { decodeSecretMultikey } from '@signet/sign';
import { parseDocument } from 'yaml';

function normalize(baseUrl) {
  let url;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new SignetError(`base-url "${baseUrl}" is not an absolute URL`, { hint: 'Give the address readers use, for example https://example.com/blog/.' });
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function info(site, baseUrl) {
  const config = loadConfig(site);
  const url = baseUrl ? normalize(baseUrl) : config.url;
  return { 'site-url': url, host: new URL(url).host, out: path.resolve(config.root, config.dirs.out) };
}

// The build reads the base URL from the config only, so an override builds a copy: the checked-out
// files stay exactly as committed.
function overlay(site, baseUrl, dir) {
  const root = path.resolve(site);
  const out = info(root).out;
  rmSync(dir, { recursive: true, force: true });
  cpSync(root, dir, {
    recursive: true,
    // .signet/ holds keys and caches, never copied; only what `signet fetch` stored and the Webmention
    // ledger (the build's tombstones come from it) go along.
    filter: (file) => {
      const parts = path.relative(root, file).split(path.sep);
      if (parts[0] === '.signet') return parts.length === 1 || parts[1] === 'network' || parts[1] === 'webmention';
      return file !== out && !/^(\.git|node_modules)$/.test(parts[0] ?? '');
    },
  });
  const file = findConfigFile(dir);
  const document = parseDocument(readFileSync(file, 'utf8'));
  document.set('url', baseUrl);
  writeFileSync(file, document.toString());
}

function count(out) {
  let pages = 0;
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name.endsWith('.html') && readFileSync(full, 'utf8').includes('id="signed-envelope"')) pages += 1;
    }
  };
  visit(out);
  return pages;
}

// GitHub masks the secret's text; these lines also mask the seed as hex and base64, in case any
// tool ever prints it that way. Nothing is printed when the key does not decode: the build says why.
function mask(secret) {
  let seed;
  try {
    seed = Buffer.from(decodeSecretMultikey(secret.trim()));
  } catch {
    return [];
  }
  return [secret.trim(), seed.toString('hex'), seed.toString('base64'), seed.toString('base64url')].map((value) => `::add-mask::${value}`);
}

const [command, ...args] = process.argv.slice(2);
try {
  if (command === 'info') {
    for (const [key, value] of Object.entries(info(args[0], args[1]))) console.log(`${key}=${value}`);
  } else if (command === 'overlay') overlay(args[0], args[1], args[2]);
  else if (command === 'count') console.log(count(args[0]));
  else if (command === 'mask') for (const line of mask(process.env.SIGNET_SIGNING_KEY ?? '')) console.log(line);
  else throw new Error(`unknown command "${command}"`);
} catch (error) {
  console.error(`error: ${formatError(error)}`);
  process.exitCode = 1;
}

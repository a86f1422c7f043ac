import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { copySite, readTree, REPO, signet } from '../helpers/site.js';

/** The sites whose output must be valid: the default site and every example. */
const SITES = ['.', 'examples/blog', 'examples/minimal', 'examples/twitter-exit'];

const built = SITES.map((site) => {
  const root = copySite(path.join(REPO, site));
  const run = signet(['build'], root);
  return { site, root, run, files: run.status === 0 ? readTree(path.join(root, 'dist')) : new Map<string, Buffer>() };
});

describe.each(built)('output of $site', ({ root, run, files }) => {
  it('builds', () => {
    expect(run.status, run.stderr).toBe(0);
    expect(files.size).toBeGreaterThan(5);
  });

  it('every HTML page passes html-validate (standard preset)', async () => {
    const validator = new HtmlValidate({ extends: ['html-validate:standard'] });
    const problems: string[] = [];
    for (const [name, bytes] of files) {
      if (!name.endsWith('.html')) continue;
      const report = await validator.validateString(bytes.toString('utf8'), name);
      for (const result of report.results) {
        for (const message of result.messages) problems.push(`${name}:${message.line}:${message.column} ${message.ruleId}: ${message.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('RSS and Atom parse with feedparser, bozo 0, every item carrying its envelope', () => {
    const feeds = [...files.keys()].filter((name) => /(feed|atom)\.xml$/.test(name)).map((name) => path.join(root, 'dist', name));
    expect(feeds.length).toBeGreaterThanOrEqual(2);
    const output = execFileSync('/usr/bin/python3', [path.join(REPO, 'test/helpers/parse_feeds.py'), ...feeds], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const results = JSON.parse(output) as { path: string; bozo: number; error: string; version: string; entries: { link: string; envelope: string | undefined }[] }[];
    for (const result of results) {
      expect(result.bozo, `${result.path}: ${result.error}`).toBe(0);
      expect(result.version).toMatch(result.path.endsWith('atom.xml') ? /^atom10$/ : /^rss20$/);
      for (const entry of result.entries) {
        const envelope = JSON.parse(entry.envelope ?? '{}') as { url?: string; proof?: { cryptosuite?: string } };
        expect(envelope.url).toBe(entry.link);
        expect(envelope.proof?.cryptosuite).toBe('eddsa-jcs-2022');
      }
    }
  });

  it('every feed.json validates against the JSON Feed 1.1 schema', () => {
    const ajv = new Ajv.default({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, 'test/schemas/jsonfeed-1.1.schema.json'), 'utf8')) as object);
    const jsonFeeds = [...files.keys()].filter((name) => name.endsWith('feed.json'));
    expect(jsonFeeds.length).toBeGreaterThanOrEqual(1);
    for (const name of jsonFeeds) {
      const feed = JSON.parse(files.get(name)!.toString('utf8')) as { items: { _signed?: { envelope?: unknown } }[] };
      expect(validate(feed), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      for (const item of feed.items) expect(item._signed?.envelope).toBeTypeOf('object');
    }
  });

  it('makes no request to any other host: no external scripts, styles or fonts', () => {
    for (const [name, bytes] of files) {
      if (!name.endsWith('.html') && !name.endsWith('.css')) continue;
      const text = bytes.toString('utf8');
      expect(text, name).not.toMatch(/<script[^>]+src="(https?:)?\/\//);
      expect(text, name).not.toMatch(/<link[^>]+rel="stylesheet"[^>]+href="(https?:)?\/\//);
      expect(text, name).not.toMatch(/@import|url\((https?:)?\/\//);
    }
  });
});

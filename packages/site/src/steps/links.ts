import { readFileSync } from 'node:fs';
import { SignetError } from '@signet/config';
import type { Entry, Warning } from '@signet/content';
import { allEntries, type Context } from './context.js';
import { MARKDOWN_SOURCE } from './markdown.js';

/**
 * The link check: every relative link and image of the Markdown (collected as it was rendered) must
 * point at a page or file of the site, and a `#fragment` at an id of its page. Costs nothing for a
 * site without relative links; otherwise one pass over those links. Broken ones are warnings with
 * file and line, or, with `markdown.strictLinks`, an error.
 */

interface Target {
  entry: Entry;
  link: string;
  /** Absolute URL of the target, without its fragment. */
  url: URL;
}

/** Each collected link resolved against its page's URL, when it stays within the site. */
function targets(ctx: Context): Target[] {
  const out: Target[] = [];
  for (const { entry, links, retargets } of ctx.linked) {
    const base = ctx.derive.url(entry);
    for (const link of links) {
      let url: URL;
      // A link to a Markdown source is checked where it was made to point.
      const file = retargets === undefined ? undefined : MARKDOWN_SOURCE.exec(link)?.[0];
      const target = file === undefined ? undefined : retargets![file];
      try {
        url = new URL(target === undefined ? link : target + link.slice(file!.length), base);
      } catch {
        continue;
      }
      if (url.href.startsWith(ctx.config.url) || `${url.href}/` === ctx.config.url) out.push({ entry, link, url });
    }
  }
  return out;
}

/**
 * Fragments (`#setup`, `other/#setup`) pointing into an entry's page: its HTML must hold that id.
 * Run while every entry's HTML is held, after the Markdown step. Ids the layouts add are not known
 * here; `#top` and an empty fragment always work in browsers.
 */
export function checkFragments(ctx: Context): void {
  if (ctx.linked.length === 0) return;
  let byPath: Map<string, Entry> | undefined;
  for (const { entry, link, url } of targets(ctx)) {
    if (url.hash === '' || url.hash === '#' || url.hash === '#top') continue;
    const pathname = url.pathname.slice(ctx.urls.base.length - 1);
    byPath ??= new Map(allEntries(ctx).map((e) => [e.urlPath, e]));
    const target = byPath.get(pathname) ?? byPath.get(`${pathname}/`);
    const html = target && ctx.html.get(target)?.html;
    if (html === undefined) continue;
    let id: string;
    try {
      id = decodeURIComponent(url.hash.slice(1));
    } catch {
      id = url.hash.slice(1);
    }
    if (!html.includes(` id="${id.replace(/[\0"&'`]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`)}"`)) {
      broken(ctx, entry, link, target === entry ? `\`${link}\` points at no heading or element with id "${id}" on this page` : `\`${link}\` points at no heading or element with id "${id}" on ${ctx.urls.link(target!.urlPath)}`);
    }
  }
}

/** Paths: each must be a file the build wrote. Run once the output is complete. */
export function checkLinks(ctx: Context): void {
  if (ctx.linked.length === 0) return;
  const written = new Set(ctx.out.paths);
  for (const { entry, link, url } of targets(ctx)) {
    let file: string;
    try {
      file = decodeURIComponent(url.pathname.slice(ctx.urls.base.length));
    } catch {
      file = url.pathname.slice(ctx.urls.base.length);
    }
    const found = file === '' || file.endsWith('/') ? written.has(`${file}index.html`) : written.has(file) || written.has(`${file}/index.html`);
    if (found) continue;
    const source = /\.(md|markdown)$/i.test(file);
    broken(ctx, entry, link, source
      ? `\`${link}\` links to a Markdown file that is not a page of the site (a draft, a future post, or a wrong path?)`
      : `\`${link}\` points at nothing in the site (no page or file ${ctx.urls.link(file)})`);
  }
  report(ctx);
}

const found = new WeakMap<Context, Warning[]>();

function broken(ctx: Context, entry: Entry, link: string, message: string): void {
  let list = found.get(ctx);
  if (list === undefined) found.set(ctx, (list = []));
  list.push({ file: entry.source, line: lineOf(entry, link), message });
}

/** Warnings, or with `markdown.strictLinks` one error naming every broken link. */
function report(ctx: Context): void {
  const list = (found.get(ctx) ?? []).sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  if (list.length === 0) return;
  if (!ctx.config.markdown.strictLinks) {
    ctx.notes.push(...list);
    return;
  }
  const [first, ...rest] = list;
  const more = rest.map((w) => `\n  ${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`).join('');
  throw new SignetError(`${first!.message}${rest.length > 0 ? `, and ${rest.length} more broken link(s):${more}` : ''}`, {
    file: first!.file,
    line: first!.line,
    hint: 'Fix the links, or set `markdown.strictLinks: false` in signet.config.yaml to only warn about them.',
  });
}

/**
 * The line of the entry's file where `link` is written: read again only for a broken link. The
 * Markdown parser percent-encodes URLs, so the text as decoded is looked for too.
 */
export function lineOf(entry: Entry, link: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(entry.file, 'utf8');
  } catch {
    return undefined;
  }
  const candidates = [link];
  try {
    candidates.push(decodeURI(link));
  } catch {
    // Not valid percent-encoding: only the link as it is.
  }
  for (const candidate of candidates) {
    const at = text.indexOf(`(${candidate}`) >= 0 ? text.indexOf(`(${candidate}`) : text.indexOf(candidate);
    if (at >= 0) return text.slice(0, at).split('\n').length;
  }
  return entry.bodyLine;
}

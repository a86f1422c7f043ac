import type { Element, Nodes, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { htmlVoidElements } from 'html-void-elements';
import { find, html as htmlSchema } from 'property-information';
import type { PrintedMarkdown } from './render.js';
import { absoluteValue, absolutizeTree, isReportedLink } from './urls.js';

/**
 * A hast tree as HTML: the bytes hast-util-to-html prints with its default options, in about a fifth
 * of the time. hast-util-to-html was a third of the time a post with code, a table and a footnote
 * took to render: it builds a settings object per text node and attribute, and goes through
 * stringify-entities for each. Elements, text and the root are printed here; a tree with anything
 * else (comments, raw nodes, a doctype, SVG, templates) is printed by hast-util-to-html itself. A
 * test prints every tree of the Markdown tests both ways and requires the same bytes.
 *
 * With `baseUrl`, also the feed's HTML: the same but every URL attribute resolved against it (see
 * urls.ts), made in the same pass. The two differ only in those attributes, so they are printed
 * once, each changed attribute kept in both forms; printing the tree a second time after
 * `absolutizeTree` cost a quarter of a rich post's render. `feedHtml` is `html` when nothing changed.
 */
export function printPair(tree: Root, baseUrl: string | undefined): PrintedMarkdown {
  const printer: Printer = { parts: [], swaps: [], siteSwaps: [], links: [], baseUrl };
  try {
    children(tree, printer);
  } catch (error) {
    if (error !== ELSEWHERE) throw error;
    const html = toHtml(tree);
    if (baseUrl === undefined) return { html, feedHtml: html };
    const links: string[] = [];
    const site = structuredClone(tree);
    if (!absolutizeTree(tree, baseUrl, false, links)) return { html, feedHtml: html };
    absolutizeTree(site, baseUrl, true);
    return { html, feedHtml: toHtml(tree), listingHtml: toHtml(site), links: links.length > 0 ? links : undefined };
  }
  // One join makes one flat string; concatenation would make a tree of pieces (a V8 rope) that lives
  // as long as the page does.
  const html = printer.parts.join('');
  if (printer.swaps.length === 0) return { html, feedHtml: html };
  for (const [index, part] of printer.siteSwaps) printer.parts[index] = part;
  const listingHtml = printer.parts.join('');
  for (const [index, part] of printer.swaps) printer.parts[index] = part;
  return { html, feedHtml: printer.parts.join(''), listingHtml, links: printer.links.length > 0 ? printer.links : undefined };
}

interface Printer {
  parts: string[];
  /** Part index → that attribute as the feed prints it. */
  swaps: [number, string][];
  /** Part index → that attribute as other pages of the site print it (site-relative). */
  siteSwaps: [number, string][];
  /** Each relative link and image, as written. */
  links: string[];
  baseUrl: string | undefined;
}

/** Thrown at a node this file does not print: the whole tree goes to hast-util-to-html. */
const ELSEWHERE = Symbol('elsewhere');

const VOID = new Set(htmlVoidElements);

function children(parent: Root | Element, printer: Printer): void {
  for (const child of parent.children) one(child as Nodes, parent, printer);
}

function one(node: Nodes, parent: Root | Element, printer: Printer): void {
  const { parts } = printer;
  if (node.type === 'text') {
    // The contents of <script> and <style> are printed as they are (HTML reads no references there).
    if (parent.type === 'element' && (parent.tagName === 'script' || parent.tagName === 'style')) parts.push(node.value);
    else parts.push(escapeText(node.value));
    return;
  }
  if (node.type !== 'element' || node.tagName === 'svg' || node.tagName === 'template') throw ELSEWHERE;
  parts.push(`<${node.tagName}`);
  printAttributes(node, printer);
  parts.push('>');
  const start = parts.length;
  children(node, printer);
  let empty = true;
  for (let i = start; i < parts.length && empty; i++) empty = parts[i] === '';
  if (empty && VOID.has(node.tagName.toLowerCase())) return;
  parts.push(`</${node.tagName}>`);
}

interface Attribute {
  name: string;
  boolean: boolean;
  overloadedBoolean: boolean;
  commaSeparated: boolean;
}

const attributeInfo = new Map<string, Attribute>();

function infoOf(key: string): Attribute {
  let info = attributeInfo.get(key);
  if (!info) {
    const found = find(htmlSchema, key);
    info = {
      name: found.attribute.replace(NAME_ESCAPES, reference),
      boolean: found.boolean,
      overloadedBoolean: found.overloadedBoolean,
      commaSeparated: found.commaSeparated,
    };
    attributeInfo.set(key, info);
  }
  return info;
}

function printAttributes(node: Element, printer: Printer): void {
  const properties = node.properties;
  for (const key in properties) {
    const value = properties[key];
    if (value === null || value === undefined) continue;
    const text = attribute(key, value);
    if (text === undefined) continue;
    printer.parts.push(` ${text}`);
    if (printer.baseUrl === undefined) continue;
    const resolved = absoluteValue(node.tagName, key, value, printer.baseUrl);
    if (resolved === undefined || resolved === value) continue;
    const feedText = attribute(key, resolved);
    if (feedText === text) continue;
    printer.swaps.push([printer.parts.length - 1, feedText === undefined ? '' : ` ${feedText}`]);
    const siteText = attribute(key, absoluteValue(node.tagName, key, value, printer.baseUrl, true)!);
    printer.siteSwaps.push([printer.parts.length - 1, siteText === undefined ? '' : ` ${siteText}`]);
    if (isReportedLink(node, key)) printer.links.push(value as string);
  }
}

/** One attribute as hast-util-to-html prints it (`name`, `name="value"`), or undefined for none. */
function attribute(key: string, given: NonNullable<Element['properties'][string]>): string | undefined {
  let value = given;
  const info = infoOf(key);
  if (info.overloadedBoolean && (value === info.name || value === '')) value = true;
  else if ((info.boolean || info.overloadedBoolean) && (typeof value !== 'string' || value === info.name || value === '')) value = Boolean(value);
  if (value === false || (typeof value === 'number' && Number.isNaN(value))) return undefined;
  if (value === true) return info.name;
  const text = Array.isArray(value) ? list(value, info.commaSeparated) : String(value);
  return `${info.name}="${text.replace(VALUE_ESCAPES, reference)}"`;
}

/** As comma-separated-tokens and space-separated-tokens print a list (a trailing empty item kept). */
function list(values: (string | number)[], commas: boolean): string {
  if (!commas) return values.join(' ').trim();
  return (values[values.length - 1] === '' ? [...values, ''] : values).join(', ').trim();
}

// hast-util-to-html's character sets with its defaults (no parse errors, no dangerous characters),
// and stringify-entities' default form: an upper-case hexadecimal reference.
const NAME_ESCAPES = /[\0\t\n\f\r "&'/<=>`]/g;
const VALUE_ESCAPES = /[\0"&'`]/g;

function reference(char: string): string {
  return `&#x${char.charCodeAt(0).toString(16).toUpperCase()};`;
}

function escapeText(value: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code !== 60 && code !== 38) continue;
    out += value.slice(last, i) + (code === 60 ? '&#x3C;' : '&#x26;');
    last = i + 1;
  }
  return last === 0 ? value : out + value.slice(last);
}

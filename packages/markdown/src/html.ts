import type { Element, Nodes, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { htmlVoidElements } from 'html-void-elements';
import { find, html as htmlSchema } from 'property-information';

/**
 * A hast tree as HTML: the bytes hast-util-to-html prints with its default options, in about a fifth
 * of the time. A post's tree is printed twice (for the page, then with absolute URLs for feeds and
 * the signature), and hast-util-to-html was a third of the time a post with code, a table and a
 * footnote took to render: it builds a settings object per text node and attribute, and goes through
 * stringify-entities for each. Elements, text and the root are printed here; a tree with anything
 * else (comments, raw nodes, a doctype, SVG, templates) is printed by hast-util-to-html itself. A
 * test prints every tree of the Markdown tests both ways and requires the same bytes.
 */
export function serializeHtml(tree: Root): string {
  try {
    const html = children(tree);
    // Concatenation made a tree of pieces (a V8 rope); reading a character turns it into one flat
    // string at once, so the pieces die young instead of living as long as the page does.
    html.charCodeAt(0);
    return html;
  } catch (error) {
    if (error === ELSEWHERE) return toHtml(tree);
    throw error;
  }
}

/** Thrown at a node this file does not print: the whole tree goes to hast-util-to-html. */
const ELSEWHERE = Symbol('elsewhere');

const VOID = new Set(htmlVoidElements);

function children(parent: Root | Element): string {
  let out = '';
  for (const child of parent.children) out += one(child as Nodes, parent);
  return out;
}

function one(node: Nodes, parent: Root | Element): string {
  if (node.type === 'text') {
    // The contents of <script> and <style> are printed as they are (HTML reads no references there).
    if (parent.type === 'element' && (parent.tagName === 'script' || parent.tagName === 'style')) return node.value;
    return escapeText(node.value);
  }
  if (node.type !== 'element' || node.tagName === 'svg' || node.tagName === 'template') throw ELSEWHERE;
  const attributes = serializeAttributes(node.properties);
  const content = children(node);
  const open = `<${node.tagName}${attributes ? ` ${attributes}` : ''}>`;
  if (content === '' && VOID.has(node.tagName.toLowerCase())) return open;
  return `${open}${content}</${node.tagName}>`;
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

function serializeAttributes(properties: Element['properties']): string {
  let out = '';
  for (const key in properties) {
    let value = properties[key];
    if (value === null || value === undefined) continue;
    const info = infoOf(key);
    if (info.overloadedBoolean && (value === info.name || value === '')) value = true;
    else if ((info.boolean || info.overloadedBoolean) && (typeof value !== 'string' || value === info.name || value === '')) value = Boolean(value);
    if (value === false || (typeof value === 'number' && Number.isNaN(value))) continue;
    let attribute: string;
    if (value === true) {
      attribute = info.name;
    } else {
      const text = Array.isArray(value) ? list(value, info.commaSeparated) : String(value);
      attribute = `${info.name}="${text.replace(VALUE_ESCAPES, reference)}"`;
    }
    out += out === '' ? attribute : ` ${attribute}`;
  }
  return out;
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

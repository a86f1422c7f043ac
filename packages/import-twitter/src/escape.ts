/** Characters that are Markdown syntax wherever they appear (GFM included: `~` strikes, `|` makes tables). */
const INLINE = new Set(['\\', '`', '*', '_', '[', ']', '<', '~', '|']);
/** Characters that only mean something at the start of a line: headings, quotes, lists, setext rules. */
const LINE_START = new Set(['#', '>', '-', '+', '=']);
const ENTITY_LIKE = /^&(?:#\d+|#x[\da-f]+|[a-z][a-z\d]*);/i;
const ORDERED_ITEM = /^(\d{1,9})([.)])/;

export interface Escaped {
  markdown: string;
  atLineStart: boolean;
}

/**
 * Escapes plain text so Markdown shows it as written. Bare URLs stay text (Twitter linked every URL it
 * recognised through an entity): GFM would otherwise autolink them with the escapes inside the URL. `atLineStart` says whether the text continues a
 * line already begun by a link, so a `#` after a link stays unescaped but one at the start of a line
 * does not become a heading. Leading spaces are dropped: four of them would start a code block.
 */
export function escapeText(text: string, atLineStart: boolean): Escaped {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === '\n') {
      out += '\n';
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      if (c === ' ' || c === '\t') continue;
      atLineStart = false;
      const ordered = ORDERED_ITEM.exec(text.slice(i, i + 11));
      if (ordered) {
        out += `${ordered[1]}\\${ordered[2]}`;
        i += ordered[0].length - 1;
        continue;
      }
      if (LINE_START.has(c)) {
        out += `\\${c}`;
        continue;
      }
    }
    if (INLINE.has(c)) out += `\\${c}`;
    else if (c === ':' && text.startsWith('//', i + 1)) out += '\\:';
    else if (c === '.' && /(?:^|[^\p{L}\p{N}])www$/iu.test(text.slice(Math.max(0, i - 4), i))) out += '\\.';
    else if (c === '&' && ENTITY_LIKE.test(text.slice(i, i + 12))) out += '\\&';
    else out += c;
  }
  return { markdown: out, atLineStart };
}

/** Escapes a link's visible text, which never starts a line. */
export function escapeInline(text: string): string {
  return escapeText(text.replace(/\s+/g, ' '), false).markdown;
}

/** A link destination that survives parentheses, spaces and angle brackets in the URL. */
export function linkDestination(url: string): string {
  if (/^[^\s()<>\\]+$/.test(url)) return url;
  return `<${url.replace(/[\s<>]/g, (c) => encodeURIComponent(c))}>`;
}

/**
 * Keeps the tweet's line structure: a single newline becomes a hard line break (a trailing backslash,
 * which editors do not strip the way they strip two trailing spaces), blank lines separate paragraphs.
 */
export function keepLineBreaks(markdown: string): string {
  const paragraphs: string[][] = [[]];
  for (const line of markdown.split('\n')) {
    // Trailing spaces and tabs, from the end: `/[ \t]+$/` tried from every one of a long run was quadratic.
    let end = line.length;
    while (line[end - 1] === ' ' || line[end - 1] === '\t') end -= 1;
    const trimmed = line.slice(0, end);
    const current = paragraphs[paragraphs.length - 1] ?? [];
    if (trimmed === '') {
      if (current.length > 0) paragraphs.push([]);
    } else {
      current.push(trimmed);
    }
  }
  return paragraphs
    .filter((p) => p.length > 0)
    .map((p) => p.join('\\\n'))
    .join('\n\n');
}

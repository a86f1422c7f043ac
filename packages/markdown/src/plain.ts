/**
 * A body that is nothing but paragraphs of plain text, as HTML, without parsing it: `<p>` around
 * each paragraph, its lines as written. Notes, imported posts and much prose are just that, and
 * parsing them (markdown-it, then mdast and hast) cost about 60 µs a post in a build, most of a plain
 * post's time; this is a few native scans of the text.
 *
 * A line qualifies when it starts with an ASCII letter (so it opens no block: no list, heading,
 * quote, code, table, HTML or thematic break, and continues no indented one), holds only letters,
 * digits, spaces and punctuation that Markdown and GFM give no meaning to, and does not end in a space
 * (two would be a hard break). Left out with that: `:` and `@` (autolinks), `&` (entities), `<`,
 * `*`, `_`, `~`, `` ` ``, `[`, `]`, `\`, `|` and `#`, tabs (but in blank lines), CR and anything
 * beyond ASCII; a body holding `www.` anywhere is left out too (GFM links it). Anything else is parsed as before, so this never
 * changes a page: a test compares it with the unified pipeline.
 */
// Everything a plain body may hold; tabs only in blank lines (checked line by line).
const ANY_OTHER = /[^A-Za-z0-9 .,;'"?!()%+=/$\n\t-]/;
const WWW = /www\./i;

/** The HTML of a body of plain paragraphs (see above), or undefined when it is anything else. */
export function plainParagraphs(markdown: string): string | undefined {
  // Two scans of the whole body rule out most others before any line is looked at.
  if (ANY_OTHER.test(markdown) || WWW.test(markdown)) return undefined;
  let html = '';
  let open = false;
  for (let start = 0; start <= markdown.length; ) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    const line = markdown.slice(start, end);
    start = end + 1;
    // Only spaces and tabs (nothing else is left to be white space): a blank line.
    if (line.trim() === '') {
      if (open) html += '</p>';
      open = false;
      continue;
    }
    if (!isLetter(line.charCodeAt(0)) || line.endsWith(' ') || line.includes('\t')) return undefined;
    html += open ? `\n${line}` : `${html === '' ? '' : '\n'}<p>${line}`;
    open = true;
  }
  if (open) html += '</p>';
  return html === '' ? undefined : html;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

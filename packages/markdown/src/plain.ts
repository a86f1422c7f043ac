/**
 * A body that is nothing but paragraphs of plain text, as HTML, without parsing it: `<p>` around
 * each paragraph, its lines as written. Notes, imported posts and much prose are just that, and
 * parsing them (markdown-it, then mdast and hast) cost about 60 µs a post in a build, most of a plain
 * post's time; this reads each line once.
 *
 * A line qualifies when it starts with an ASCII letter (so it opens no block: no list, heading,
 * quote, code, table, HTML or thematic break, and continues no indented one), holds only letters,
 * digits, spaces and punctuation that Markdown and GFM give no meaning to, and does not end in a space
 * (two would be a hard break). Left out with that: `:` and `@` (autolinks), `&` (entities), `<`,
 * `*`, `_`, `~`, `` ` ``, `[`, `]`, `\`, `|` and `#`, tabs, CR and anything beyond ASCII; a line
 * holding `www.` is left out too (GFM links it). Anything else is parsed as before, so this never
 * changes a page: a test compares it with the unified pipeline.
 */
const PLAIN_LINE = /^[A-Za-z][A-Za-z0-9 .,;'"?!()%+=/$-]*$/;
const BLANK_LINE = /^[ \t]*$/;
const WWW = /www\./i;

/** The HTML of a body of plain paragraphs (see above), or undefined when it is anything else. */
export function plainParagraphs(markdown: string): string | undefined {
  const lines = markdown.split('\n');
  let html = '';
  let open = false;
  for (const line of lines) {
    if (BLANK_LINE.test(line)) {
      if (open) html += '</p>';
      open = false;
      continue;
    }
    // Checked apart: `www.` is plain punctuation to the pattern, but not to GFM.
    if (!PLAIN_LINE.test(line) || line.endsWith(' ') || WWW.test(line)) return undefined;
    html += open ? `\n${line}` : `${html === '' ? '' : '\n'}<p>${line}`;
    open = true;
  }
  if (open) html += '</p>';
  return html === '' ? undefined : html;
}

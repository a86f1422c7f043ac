/**
 * Reads the front matter most posts have — `key: text` lines and `key: [word, word]` lists — without
 * the full YAML parser, which costs more than the rest of reading a post. Anything else (numbers,
 * booleans, quotes, nesting, comments, odd characters) gives undefined, and the caller parses the block
 * with `yaml` as always: this only ever answers where YAML 1.2's core schema gives the same strings.
 */
export interface SimpleYaml {
  data: Record<string, string | string[]>;
  /** Key → its 1-based line, counting the line the block starts on (the `---` line) as 1. */
  lines: Map<string, number>;
}

// The value starts with what `[ ]+` cannot take, so the two never share a space (which was quadratic).
const LINE = /^([A-Za-z][A-Za-z0-9_-]*):[ ]+([^ \n\r\u2028\u2029].*)$/u;
// A plain scalar on one line: no indicator first, no `: ` or ` #` inside, no tab, no trailing space.
const TEXT = /^[\p{L}\p{N}][\p{L}\p{N} _.,:;/+'"!?()-]*$/u;
// A plain scalar inside `[...]`, where `,`, `:` and brackets have meanings of their own.
const WORD = /^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u;
// YAML 1.2 core schema: what a plain scalar means when it is not a string (null, bool, int, float).
const NOT_TEXT = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

function isText(value: string, pattern: RegExp): boolean {
  return pattern.test(value) && !/: |:$| #|\s$/.test(value) && !NOT_TEXT.some((test) => test.test(value));
}

/** `block` is what follows the opening `---` up to the closing one, starting with the rest of its line. */
export function parseSimpleYaml(block: string): SimpleYaml | undefined {
  const rows = block.split('\n');
  if (rows[0] !== '') return undefined;
  const data: Record<string, string | string[]> = {};
  const lines = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const row = rows[i]!;
    if (row === '') continue;
    const match = LINE.exec(row);
    if (!match) return undefined;
    const [, key, value] = match as unknown as [string, string, string];
    if (lines.has(key) || NOT_TEXT.some((test) => test.test(key))) return undefined;
    if (value.startsWith('[')) {
      if (!value.endsWith(']')) return undefined;
      const inner = value.slice(1, -1).trim();
      const items = inner === '' ? [] : inner.split(',').map((item) => item.trim());
      if (!items.every((item) => isText(item, WORD))) return undefined;
      data[key] = items;
    } else {
      if (!isText(value, TEXT)) return undefined;
      data[key] = value;
    }
    lines.set(key, i + 1);
  }
  return { data, lines };
}

/**
 * The `_headers` file of Netlify and Cloudflare Pages: a line with a URL path (`*` matches anything,
 * `:name` one path segment) starts a rule, and the indented `Name: value` lines under it are the
 * headers sent for every matching path. `#` starts a comment.
 */
export interface HeaderRule {
  path: string;
  pattern: RegExp;
  headers: [string, string][];
}

export function parseHeaders(text: string): HeaderRule[] {
  const rules: HeaderRule[] = [];
  let current: HeaderRule | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const urlPath = line.trim();
      current = { path: urlPath, pattern: toPattern(urlPath), headers: [] };
      rules.push(current);
      continue;
    }
    const colon = line.indexOf(':');
    if (!current || colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (/^[!#$%&'*+.^_`|~\w-]+$/.test(name)) current.headers.push([name.toLowerCase(), value]);
  }
  return rules;
}

function toPattern(urlPath: string): RegExp {
  const source = urlPath
    .split(/(\*|:[A-Za-z_]\w*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Every header the rules give `pathname`; a header named by several rules gets their values joined. */
export function headersFor(rules: HeaderRule[], pathname: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rule of rules) {
    if (!rule.pattern.test(pathname)) continue;
    for (const [name, value] of rule.headers) out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

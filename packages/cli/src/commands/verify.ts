import path from 'node:path';
import type { ItemResult, PageResult } from '@signet/verify';
import { VerifyInputError } from '@signet/verify';
import { verifyPath } from '@signet/verify/node';
import { EXIT, parseFlags, text, UsageError, type Io } from '../io.js';
import { COMMANDS, USAGE } from '../usage.js';


interface Row {
  file: string;
  item: string;
  status: string;
  domain: string;
  detail: string;
}

export async function verify(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseFlags(args, COMMANDS.verify);
  if (positionals.length !== 1) throw new UsageError(`signet verify takes one URL, file or folder (got ${positionals.length})`, { hint: USAGE.verify });
  const target = positionals[0]!;
  const domain = text(values.domain);
  if (domain !== undefined && (/^https?:/i.test(target) || !/^[a-z0-9.-]+(:\d+)?$/.test(domain))) {
    throw new UsageError(`--domain takes a host such as example.com and a local file or folder, not ${JSON.stringify(domain)} with ${target}`, { hint: USAGE.verify });
  }
  let results;
  try {
    results = await verifyPath(/^https?:\/\//i.test(target) ? target : path.resolve(io.cwd, target), {
      ...(domain === undefined ? {} : { domain }),
      allowHttpLoopback: values['allow-http-loopback'] === true,
    });
  } catch (error) {
    if (!(error instanceof VerifyInputError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.failed;
  }
  const rows: Row[] = [];
  for (const { file, result } of results) {
    const shown = path.isAbsolute(file) ? path.relative(io.cwd, file) || file : file;
    const items: (ItemResult | PageResult)[] = result.kind === 'feed' ? result.items : [result];
    for (const item of items) {
      rows.push({
        file: shown,
        item: 'index' in item ? `#${item.index + 1} ${item.title ?? item.link ?? ''}`.trim() : item.url ?? '',
        status: item.status,
        domain: item.domain ?? '',
        detail: item.status === 'verified' ? item.reasons.join(' ') : [item.sentence, ...item.reasons].join(' '),
      });
    }
  }
  const failed = rows.filter((r) => r.status !== 'verified').length;
  if (values.json === true) io.out(JSON.stringify({ ok: failed === 0 && rows.length > 0, results }, null, 2));
  else io.out(table(rows, failed));
  return failed === 0 && rows.length > 0 ? EXIT.ok : EXIT.failed;
}

function table(rows: Row[], failed: number): string {
  if (rows.length === 0) return 'Nothing to verify: no feeds or post pages found.';
  const head: Row = { file: 'FILE', item: 'ITEM', status: 'STATUS', domain: 'DOMAIN', detail: '' };
  const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const cols = ['file', 'item', 'status', 'domain'] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.min(40, Math.max(...[head, ...rows].map((r) => r[c].length)))]));
  const line = (r: Row) => cols.map((c) => cut(r[c], width[c]!).padEnd(width[c]!)).join('  ').trimEnd();
  const lines = [line(head), ...rows.flatMap((r) => (r.status === 'verified' ? [line(r)] : [line(r), `    ${r.detail}`]))];
  lines.push('', failed === 0 ? `All ${rows.length} verified.` : `${failed} of ${rows.length} failed verification.`);
  return lines.join('\n');
}

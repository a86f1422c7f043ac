import path from 'node:path';
import type { ItemResult, PageResult } from '@signet/verify';
import { VerifyInputError } from '@signet/verify';
import { verifyPath, type PathReport } from '@signet/verify/node';
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
  let report: PathReport;
  try {
    report = await verifyPath(/^https?:\/\//i.test(target) ? target : path.resolve(io.cwd, target), {
      ...(domain === undefined ? {} : { domain }),
      allowHttpLoopback: values['allow-http-loopback'] === true,
      allowPrivateAddresses: values['allow-private-addresses'] === true,
    });
  } catch (error) {
    if (!(error instanceof VerifyInputError)) throw error;
    io.err(`error: ${error.message}`);
    return EXIT.failed;
  }
  const rows: Row[] = [];
  for (const { file, result } of report.results) {
    const shown = path.isAbsolute(file) ? path.relative(io.cwd, file) || file : file;
    const items: (ItemResult | PageResult)[] = result.kind === 'feed' ? result.items : [result];
    for (const item of items) {
      rows.push({
        file: shown,
        item: 'index' in item ? `#${item.index + 1} ${item.title ?? item.link ?? ''}`.trim() : item.url ?? '',
        status: item.status,
        domain: item.domain ?? '',
        detail: item.status === 'verified' ? '' : [item.sentence, ...item.reasons].join(' '),
      });
    }
  }
  const failed = rows.filter((r) => r.status !== 'verified').length + report.skipped.length;
  const ok = failed === 0 && rows.length > 0;
  if (values.json === true) {
    io.out(JSON.stringify({ ok, keys: report.keys, skipped: report.skipped, drafts: report.drafts ?? [], results: report.results }, null, 2));
    return ok ? EXIT.ok : EXIT.failed;
  }
  // With --domain the keys come from the folder itself: every "verified" says so, as a forged folder would pass too.
  const local = report.keys.find((k) => k.from === 'folder');
  for (const skip of report.skipped) io.err(`error: ${skip.reason}`);
  // A key document that could not be read explains every "unknown key" below it: say it first, once.
  for (const key of report.keys.filter((k) => !k.ok)) {
    io.out(`Could not read the keys of ${key.did} from ${key.location}: ${key.reason ?? 'unknown reason'}.`);
    io.out(key.from === 'network' && !/^https?:/i.test(target)
      ? `  Every post signed with them fails as "unknown key". To check a local build before it is published, add --domain ${hostOf(key.did)} (keys are then read from the folder's own did.json).\n`
      : '  Every post signed with them fails as "unknown key".\n');
  }
  io.out(table(rows, local !== undefined));
  if (report.drafts) io.out(`\nNot checked: ${report.drafts.length} draft page${report.drafts.length === 1 ? '' : 's'} of a preview build (signet build --drafts), never signed: ${report.drafts.join(', ')}.`);
  const scope = local ? ` with the keys in ${path.relative(io.cwd, local.location) || local.location}, the folder's own did.json, not fetched from https://${domain}/ (this checks the build, not what ${domain} serves)` : '';
  io.out('');
  io.out(rows.length === 0 ? '' : failed === 0 ? `All ${rows.length} verified${scope}.` : `${failed} of ${rows.length + report.skipped.length} failed verification${scope}.`);
  return ok ? EXIT.ok : EXIT.failed;
}

function hostOf(did: string): string {
  return did.slice('did:web:'.length).split(':')[0]!.replace(/%3A/i, ':');
}

/** One line per item; each distinct reason is printed once, and the rows that share it point to it. */
function table(rows: Row[], localKeys: boolean): string {
  if (rows.length === 0) return 'Nothing to verify: no feeds or post pages found.';
  const reasons = new Map<string, number>();
  for (const r of rows) if (r.detail && !reasons.has(r.detail)) reasons.set(r.detail, reasons.size + 1);
  const status = (r: Row) => (r.status === 'verified' && localKeys ? 'verified (local keys)' : r.status);
  const head: Row = { file: 'FILE', item: 'ITEM', status: 'STATUS', domain: 'DOMAIN', detail: '' };
  const cut = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const cell = (r: Row, c: 'file' | 'item' | 'status' | 'domain') => (r === head || c !== 'status' ? r[c] : status(r));
  const cols = ['file', 'item', 'status', 'domain'] as const;
  const width = Object.fromEntries(cols.map((c) => [c, Math.min(40, Math.max(...[head, ...rows].map((r) => cell(r, c).length)))]));
  const line = (r: Row) => [...cols.map((c) => cut(cell(r, c), width[c]!).padEnd(width[c]!)), r.detail ? `[${reasons.get(r.detail)}]` : ''].join('  ').trimEnd();
  const lines = [line(head), ...rows.map(line)];
  if (reasons.size > 0) {
    lines.push('');
    for (const [detail, n] of reasons) {
      const count = rows.filter((r) => r.detail === detail).length;
      lines.push(`[${n}] ${count === 1 ? '' : `${count} items: `}${detail}`);
    }
  }
  return lines.join('\n');
}

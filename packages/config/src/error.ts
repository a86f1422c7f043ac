/**
 * The one error type every Signet stage throws for bad input. It carries where the problem is
 * (file, line, column) and what to do about it, so the CLI and the dev overlay can show
 * `file:line:column: message` followed by the hint, whatever stage failed.
 */
export interface SignetErrorInfo {
  file?: string;
  line?: number;
  column?: number;
  hint?: string;
}

export class SignetError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly hint: string | undefined;

  constructor(message: string, info: SignetErrorInfo = {}) {
    super(message);
    this.name = 'SignetError';
    this.file = info.file;
    this.line = info.line;
    this.column = info.column;
    this.hint = info.hint;
  }
}

export function isSignetError(value: unknown): value is SignetError {
  return value instanceof Error && value.name === 'SignetError';
}

/** `file:line:column: message` then the hint on its own line. */
export function formatError(error: unknown): string {
  if (!isSignetError(error)) {
    return error instanceof Error ? (error.stack ?? error.message) : String(error);
  }
  let where = error.file ?? '';
  if (where && error.line !== undefined) where += `:${error.line}`;
  if (where && error.line !== undefined && error.column !== undefined) where += `:${error.column}`;
  const head = where ? `${where}: ${error.message}` : error.message;
  return error.hint ? `${head}\n  ${error.hint}` : head;
}

/** A build's warning, as every stage reports one. */
export interface WarningLike {
  file: string;
  line?: number;
  message: string;
}

/** `warning: file:line: message`. */
export function warningLine(warning: WarningLike): string {
  return `warning: ${warning.file}${warning.line ? `:${warning.line}` : ''}: ${warning.message}`;
}

/**
 * A build's warnings as the lines to print. A message that many files share (a missing alt text on
 * 150 imported posts) is printed for the first `shown` files, then once as a count naming a few more,
 * rather than 150 times: the other warnings stay readable.
 */
export function warningLines(warnings: readonly WarningLike[], shown = 3, most = 5): string[] {
  const byMessage = new Map<string, WarningLike[]>();
  for (const warning of warnings) {
    const same = byMessage.get(warning.message);
    if (same) same.push(warning);
    else byMessage.set(warning.message, [warning]);
  }
  const lines: string[] = [];
  for (const [message, same] of byMessage) {
    if (same.length <= most) {
      for (const warning of same) lines.push(warningLine(warning));
      continue;
    }
    for (const warning of same.slice(0, shown)) lines.push(warningLine(warning));
    const rest = same.slice(shown);
    const named = [...new Set(rest.map((w) => w.file))];
    lines.push(`warning: ${rest.length} more with the same warning (${named.slice(0, 3).join(', ')}${named.length > 3 ? ', …' : ''}): ${message}`);
  }
  return lines;
}

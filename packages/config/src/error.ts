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

import { parseArgs } from 'node:util';
import { SignetError } from '@signet/config';

/** Where a command writes: the real terminal, or a buffer in tests. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Redraws one status line in place; only on a terminal. */
  progress?: (line: string) => void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  cwd: process.cwd(),
  env: process.env,
  progress: process.stderr.isTTY ? (line) => process.stderr.write(`\r${line}`) : undefined,
};

/** Exit codes: 0 fine, 1 the work failed (bad input, a failed check), 2 the command was used wrongly. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export class UsageError extends SignetError {}

export interface Flags {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/** node:util parseArgs, with unknown flags turned into a usage error that names them. */
export function parseFlags(args: string[], options: FlagSpec, usage: string): Flags {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Flags;
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify.*$/s, ''), { hint: usage });
  }
}

/** A string flag's value (undefined when absent). */
export function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

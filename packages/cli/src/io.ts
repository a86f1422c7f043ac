import { parseArgs } from 'node:util';
import { SignetError, suggest } from '@signet/config';
import type { CommandHelp } from './usage.js';

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

/**
 * node:util parseArgs over the command's flags (usage.ts), with an unknown flag turned into a usage
 * error that names it and the flag it most looks like.
 */
export function parseFlags(args: string[], help: CommandHelp): Flags {
  const options = Object.fromEntries(Object.entries(help.flags).map(([name, flag]) => [name, { type: flag.type, ...(flag.short ? { short: flag.short } : {}) }]));
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Flags;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-[^']*)'/.exec(message)?.[1] : undefined;
    if (unknown !== undefined) {
      const guess = suggest(unknown.replace(/^-+/, '').split('=', 1)[0]!, Object.keys(help.flags));
      throw new UsageError(`unknown option ${unknown}${guess ? ` — did you mean --${guess}?` : ''}`, { hint: help.usage });
    }
    throw new UsageError(message.replace(/\. To specify.*$/s, ''), { hint: help.usage });
  }
}

/** "did you mean" for a word that should have been one of `choices` (a command, a keys action). */
export function didYouMean(word: string, choices: readonly string[]): string {
  const guess = suggest(word, choices);
  return guess ? ` — did you mean \`${guess}\`?` : '';
}

/** A string flag's value (undefined when absent). */
export function text(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Resolves on Ctrl-C or SIGTERM, for the commands that serve until stopped. */
export function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

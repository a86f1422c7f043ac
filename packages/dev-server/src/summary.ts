import { formatError, isSignetError } from '@signet/config';
import type { CacheWrites } from './cache-use.js';
import type { ErrorReport } from './live-reload.js';
import type { OutputChanges } from './output.js';

function clock(date: Date): string {
  return date.toTimeString().slice(0, 8);
}

function listed(items: string[], shown: number): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

const WORK: Record<string, (n: number) => string> = {
  markdown: (n) => `${n} Markdown`,
  envelopes: (n) => `signed ${n}`,
  pages: (n) => `rendered ${n}`,
};

/**
 * One terminal line per rebuild: what was saved (or `label`, for a rebuild no saved file caused),
 * which outputs changed, what was redone, how long.
 */
export function rebuildLine(triggers: string[], changes: OutputChanges, writes: CacheWrites, ms: number, label = 'rebuild', at = new Date()): string {
  const parts: string[] = [];
  if (changes.changed.length) parts.push(`${changes.changed.length} changed (${listed(changes.changed, 3)})`);
  if (changes.added.length) parts.push(`${changes.added.length} added (${listed(changes.added, 2)})`);
  if (changes.removed.length) parts.push(`${changes.removed.length} removed (${listed(changes.removed, 2)})`);
  const work = Object.entries(writes)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => (WORK[name] ?? ((count: number) => `${name} ${count}`))(n));
  const what = parts.length ? parts.join(', ') : 'no output changed';
  const redone = work.length ? ` [${work.join(', ')}]` : '';
  return `${clock(at)} ${listed(triggers, 2) || label} → ${what}${redone} in ${Math.round(ms)} ms`;
}

export function errorLine(triggers: string[], error: unknown, ms: number, hasGoodBuild: boolean, at = new Date()): string {
  const serving = hasGoodBuild ? 'still serving the last good build' : 'the site will be served once it builds';
  return `${clock(at)} ${listed(triggers, 2) || 'build'} → failed in ${Math.round(ms)} ms, ${serving}:\n${formatError(error)}`;
}

/** The overlay's view of an error: where, what, and what to do. */
export function errorReport(error: unknown): ErrorReport {
  const text = formatError(error);
  if (!isSignetError(error)) {
    return { location: undefined, message: error instanceof Error ? error.message : String(error), hint: undefined, text };
  }
  let location = error.file;
  if (location && error.line !== undefined) location += `:${error.line}`;
  if (location && error.line !== undefined && error.column !== undefined) location += `:${error.column}`;
  return { location, message: error.message, hint: error.hint, text };
}

import type { ImportSummary } from './import.js';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A few lines for a terminal saying what an import did. */
export function formatSummary(summary: ImportSummary): string {
  const { account, skipped } = summary;
  const lines = [
    `Imported @${account.username} (${account.displayName}):`,
    `  ${plural(summary.new, 'new note', 'new notes')}, ${summary.updated} updated, ${summary.unchanged} unchanged, ` +
      `${summary.edited} edited since the last import (left alone)`,
    `  Left out: ${plural(skipped.replies, 'reply', 'replies')} to others, ${plural(skipped.retweets, 'retweet', 'retweets')}, ` +
      `${plural(skipped.private, 'private tweet', 'private tweets')} (Twitter Circle or deleted), ` +
      `${plural(skipped.beforeSince, 'tweet', 'tweets')} before --since`,
  ];
  if (summary.missingMedia.length > 0) {
    lines.push(`  Missing from the archive, linked to Twitter instead: ${plural(summary.missingMedia.length, 'media file', 'media files')}`);
    for (const path of summary.missingMedia.slice(0, 10)) lines.push(`    ${path}`);
    if (summary.missingMedia.length > 10) lines.push(`    … and ${summary.missingMedia.length - 10} more`);
  }
  return lines.join('\n');
}

/** `[#########-----------]  45%  450/1000`, for redrawing on one terminal line. */
export function renderProgressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(Math.max(done / total, 0), 1) : 1;
  const filled = Math.round(ratio * width);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}  ${done}/${total}`;
}

import { isUtf8 } from 'node:buffer';
import { SignetError } from '@signet/config';
import type { Warning } from './entry.js';
import { codePoints, CONTROL, stripControls } from './fields.js';

/** 1-based line of a position in a text. */
function lineAt(text: string, index: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}

/**
 * A Markdown file's bytes as the text a post is made from, whatever the file holds. UTF-16 and binary
 * files (a NUL byte) are refused; bytes that are not UTF-8 become U+FFFD with a warning; characters
 * feeds cannot carry (`CONTROL`: an ESC pasted from a terminal, a form feed) are removed with a warning
 * naming the line of the first, so that every format shows the text that is signed. A clean file costs
 * two scans that find nothing.
 */
export function decodeSource(source: Buffer, file: string, warnings: Warning[]): string {
  if ((source[0] === 0xff && source[1] === 0xfe) || (source[0] === 0xfe && source[1] === 0xff)) {
    throw new SignetError('the file is UTF-16 text; Signet reads UTF-8', { file, line: 1, hint: 'Save it as UTF-8 (in most editors: Save As, then the encoding "UTF-8").' });
  }
  let text = source.toString('utf8');
  if (text.includes('\uFFFD') && !isUtf8(source)) {
    warnings.push({ file, line: lineAt(text, text.indexOf('\uFFFD')), message: 'the file is not valid UTF-8: bytes that are not were replaced by U+FFFD (�); save it as UTF-8' });
  }
  if (CONTROL.test(text)) {
    const nul = text.indexOf('\0');
    if (nul !== -1) {
      throw new SignetError('the file is not text: it has a NUL byte', {
        file,
        line: lineAt(text, nul),
        hint: 'Markdown files must be UTF-8 text. Move other files out of the way, or give them an extension other than .md.',
      });
    }
    const first = text.search(CONTROL);
    const { text: stripped, removed } = stripControls(text);
    warnings.push({ file, line: lineAt(text, first), message: `removed ${removed.length} control character(s) (${codePoints(removed)}) that feeds cannot carry, the first on this line` });
    text = stripped;
  }
  return text;
}

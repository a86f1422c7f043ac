import { TwitterImportError } from './errors.js';

/**
 * Reads an archive data file such as `window.YTD.tweets.part0 = [ {...}, ... ]` as a stream and yields
 * each element of the array, parsed with JSON.parse on its own. The file is never evaluated, and only
 * one element is held in memory at a time, so a tweets.js of hundreds of megabytes stays cheap.
 */
export async function* readYtdElements(chunks: AsyncIterable<string>, file: string): AsyncGenerator<unknown> {
  type State = 'prefix' | 'open' | 'element' | 'inside' | 'separator' | 'done';
  let state: State = 'prefix';
  let line = 1;
  let column = 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let startLine = 0;
  let startColumn = 0;
  let sawElement = false;

  const fail = (what: string, at: { line: number; column: number } = { line, column }): never => {
    throw new TwitterImportError(
      `${file}:${at.line}:${at.column}: ${what}. The file should read \`window.YTD.<name>.part0 = [ ... ]\` ` +
        'as exported by Twitter/X; re-download the archive if it was edited or cut short.',
    );
  };

  for await (const chunk of chunks) {
    let start = state === 'inside' ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 10) {
        line++;
        column = 0;
      } else {
        column++;
      }
      if (state === 'inside') {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
        } else if (c === 34) {
          inString = true;
        } else if (c === 123 || c === 91) {
          depth++;
        } else if (c === 125 || c === 93) {
          depth--;
          if (depth === 0) {
            parts.push(chunk.slice(start, i + 1));
            yield parseElement(parts.join(''), file, startLine, startColumn);
            parts = [];
            state = 'separator';
          }
        }
        continue;
      }
      if (state === 'prefix') {
        if (c === 61) state = 'open'; // the first `=`
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xfeff) continue;
      if (state === 'open') {
        if (c !== 91) fail('expected `[` after `=`');
        state = 'element';
      } else if (state === 'element') {
        if (c === 93 && !sawElement) {
          state = 'done';
        } else if (c === 123 || c === 91) {
          state = 'inside';
          depth = 1;
          start = i;
          startLine = line;
          startColumn = column;
          sawElement = true;
        } else {
          fail('expected an object in the array');
        }
      } else if (state === 'separator') {
        if (c === 44) state = 'element';
        else if (c === 93) state = 'done';
        else fail('expected `,` or `]` after an element');
      } else if (c !== 59) {
        fail('unexpected text after the closing `]`');
      }
    }
    if (state === 'inside' && start >= 0) parts.push(chunk.slice(start));
  }
  if (state === 'prefix') fail('no `=` found: this is not an archive data file');
  if ((state as State) !== 'done') fail((state as State) === 'inside' ? 'the file ends inside an element (cut short?)' : 'the file ends before the closing `]`');
}

const QUOTED = '" is not valid JSON';

/** The message without `, "…" is not valid JSON` (as `/, ".*" is not valid JSON$/s` would, in linear time). */
function withoutQuote(message: string): string {
  const at = message.indexOf(', "');
  return message.endsWith(QUOTED) && at !== -1 && at + 3 <= message.length - QUOTED.length ? message.slice(0, at) : message;
}

function parseElement(text: string, file: string, line: number, column: number): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 quotes the whole element in some messages; a tweet's JSON is too long to print.
    const message = withoutQuote(error instanceof Error ? error.message : String(error));
    const offset = /position (\d+)/.exec(message)?.[1];
    let at = { line, column };
    if (offset !== undefined) at = advance(text, Number(offset), line, column);
    throw new TwitterImportError(
      `${file}:${at.line}:${at.column}: this element is not valid JSON (${message.slice(0, 160)}). ` +
        'Re-download the archive; the importer never runs the file as code, so it must be plain JSON.',
    );
  }
}

function advance(text: string, offset: number, line: number, column: number): { line: number; column: number } {
  // `column` is the column of the element's first character, offset 0.
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else {
      column++;
    }
  }
  return { line, column };
}

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type YAMLError } from 'yaml';
import { SignetError } from './error.js';

/** Where a YAML problem is, in the text the parser was given, and what it is in a writer's words. */
export interface YamlProblem {
  message: string;
  line: number;
  column: number;
}

/**
 * YAML a writer wrote (the config, a data file), parsed the one way both are:
 * YAML 1.2's core schema (`no` stays a string, dates stay text: nothing is guessed), duplicate keys
 * refused, and the first syntax error thrown at its line as "`subject` is not valid YAML: …" with
 * `hint`. JSON is YAML too, with the same positions in errors.
 */
export function parseYamlText(source: string, file: string, subject: string, hint: string): { document: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const problem = describeYamlError(document, lineCounter, first);
    throw new SignetError(`${subject} is not valid YAML: ${problem.message}`, { file, line: problem.line, column: problem.column, hint });
  }
  return { document, lineCounter };
}

/**
 * Where to point a writer for a YAML syntax error. An unclosed `[`, `{` or quote is only noticed
 * where the parser runs out of room for it, lines later (`tags: [` on line 4 is reported at 5:1): for
 * those, the place where the construct opened is given instead, which is where the fix goes.
 */
export function describeYamlError(document: Document, lineCounter: LineCounter, error: YAMLError): YamlProblem {
  const reason = error.message.split('\n')[0]!;
  const at = error.pos[0];
  const here = lineCounter.linePos(at);
  if (error.code === 'MISSING_CHAR' || error.code === 'BAD_INDENT') {
    // The innermost flow collection or quoted scalar that starts before the error and runs up to it.
    let opener: { start: number; what: string } | undefined;
    visit(document, (_key, node) => {
      const range = (node as { range?: [number, number, number] } | null)?.range;
      if (!range || range[0] >= at || range[1] < at) return;
      const flow = (node as { flow?: boolean }).flow === true;
      const what = isScalar(node) && node.type === 'QUOTE_DOUBLE' ? 'the quote `"`'
        : isScalar(node) && node.type === 'QUOTE_SINGLE' ? "the quote `'`"
        : flow && isSeq(node) ? 'the `[`' : flow && isMap(node) ? 'the `{`' : undefined;
      if (what && (!opener || range[0] > opener.start)) opener = { start: range[0], what };
    });
    if (opener) {
      const start = lineCounter.linePos(opener.start);
      if (start.line < here.line) {
        return { message: `${opener.what} opened here is never closed (${reason})`, line: start.line, column: start.col };
      }
    }
  }
  return { message: reason, line: here.line, column: here.col };
}

/**
 * The document as plain data. `yaml` refuses a document whose aliases (`*a`) would expand past its
 * limit (an "alias bomb": a few lines that expand to gigabytes) with a ReferenceError; this throws a
 * SignetError on the line of the first alias instead. `subject` names the text: "the config".
 */
export function yamlToData(document: Document, lineCounter: LineCounter, file: string, subject: string): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let first: number | undefined;
    visit(document, (_key, node) => {
      if (isAlias(node) && node.range && first === undefined) first = node.range[0];
    });
    throw new SignetError(`${subject} uses YAML aliases (\`*name\`) that expand to too much`, {
      file,
      line: first === undefined ? 1 : lineCounter.linePos(first).line,
      hint: 'Write the values out instead of repeating them through aliases.',
    });
  }
}

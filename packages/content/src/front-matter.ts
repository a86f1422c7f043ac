import { createRequire } from 'node:module';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { describeYamlError, isSignetError, SignetError, yamlToData } from '@signet/config';
import { parseSimpleYaml, type SimpleYaml } from './simple-yaml.js';

// gray-matter (which loads js-yaml, its default engine) only when `splitSimpleFrontMatter` does not answer.
const require = createRequire(import.meta.url);
let grayMatter: typeof import('gray-matter') | undefined;
const matter = (...args: Parameters<typeof import('gray-matter')>) => (grayMatter ??= require('gray-matter') as typeof import('gray-matter'))(...args);

/**
 * gray-matter's split of a file that opens with a bare `---` line: the block up to the first line
 * starting `---`, and the body after it (one line ending dropped), as gray-matter cuts them. Undefined
 * for anything else (no front matter, `---yaml`, a block never closed): gray-matter decides those.
 * With the front matter itself read by `parseSimpleYaml`, most posts never need gray-matter, which
 * spent 25 µs a file building its options and file object (a test compares the two splits).
 */
export function splitSimpleFrontMatter(text: string): { matter: string; content: string } | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const rest = text.slice(3);
  const close = rest.indexOf('\n---');
  if (close === -1) return undefined;
  let content = rest.slice(close + 4);
  if (content[0] === '\r') content = content.slice(1);
  if (content[0] === '\n') content = content.slice(1);
  return { matter: rest.slice(0, close), content };
}

/**
 * gray-matter's split and parse. Its own errors (a bare Error or TypeError for input it does not expect)
 * become a SignetError on line 1, so that no file can stop a build with a stack trace.
 */
function readWithGrayMatter(text: string, file: string, yamlEngine: { parse(block: string): object }): { data: unknown; content: string; matter: string | undefined } {
  try {
    return matter(text, {
      language: 'yaml',
      engines: { yaml: yamlEngine, json: yamlEngine, js: refuseCode(file), javascript: refuseCode(file) },
    });
  } catch (error) {
    if (isSignetError(error)) throw error;
    throw new SignetError(`the front matter could not be read: ${error instanceof Error ? error.message : String(error)}`, {
      file,
      line: 1,
      hint: 'Write it in YAML between `---` lines, such as `title: Hello`.',
    });
  }
}

export interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the file where the body starts. */
  bodyLine: number;
  /** 1-based file line of a front matter key, for messages about its value. */
  lineOf(key: string): number | undefined;
}

const refuseCode = (file: string) => ({
  parse(): never {
    throw new SignetError('front matter in JavaScript is not allowed: it would run code', {
      file,
      line: 1,
      hint: 'Write the front matter in YAML between `---` lines.',
    });
  },
});

/**
 * Splits and parses front matter with gray-matter. Its YAML engine is replaced by the `yaml` package
 * (YAML 1.2: dates stay text so we can check them, duplicate keys are errors, errors carry positions),
 * after a shortcut for the plain `key: text` blocks most posts have (see simple-yaml.ts);
 * its `js`/`javascript` engines would `eval` the block (CVE-2022-25863), so both throw. An options
 * object is always passed, which also keeps gray-matter's global cache out of the way: after an error it
 * would hand back `{data: {}}` for the same text on the next save.
 */
export function parseFrontMatter(source: string, file: string): FrontMatter {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (/^\+\+\+[ \t]*\n/.test(text)) {
    throw new SignetError('front matter in TOML (between `+++` lines) is not supported', {
      file,
      line: 1,
      hint: 'Write it in YAML between `---` lines: `title = "Hello"` becomes `title: Hello`.',
    });
  }
  const opened = /^---[a-z]*\s*\n/.test(text) || text === '---';
  if (opened && !/\n---[ \t]*(\n|$)/.test(text.slice(3))) {
    throw new SignetError('the front matter block opened on line 1 is never closed', {
      file,
      line: 1,
      column: 1,
      hint: 'Add a line with just `---` after the last front matter key.',
    });
  }
  // gray-matter reads a language after the opening `---`; it knows YAML, JSON and JavaScript (refused
  // below) and throws a bare Error for anything else.
  const language = opened ? /^---([^\n]*)/.exec(text)![1]!.trim().toLowerCase() : '';
  if (!['', 'yaml', 'yml', 'json', 'js', 'javascript'].includes(language)) {
    throw new SignetError(`front matter in \`${language}\` is not supported`, {
      file,
      line: 1,
      hint: 'Write it in YAML between `---` lines, such as `title: Hello`.',
    });
  }
  // Made only for front matter the simple reader leaves to the yaml package: most posts need none.
  let lineCounter: LineCounter | undefined;
  let document: ReturnType<typeof parseDocument> | undefined;
  let simple: SimpleYaml | undefined;
  // JSON is YAML too: `---json` blocks go through the same parser, with the same positions in errors.
  const yamlEngine = {
    parse(block: string): object {
      simple = parseSimpleYaml(block);
      if (simple) return simple.data;
      const counter = new LineCounter();
      lineCounter = counter;
      document = parseDocument(block, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
      const error = document.errors[0];
      if (error) {
        // gray-matter hands over the block from just after `---`, so its line numbers are the file's.
        const problem = describeYamlError(document, counter, error);
        throw new SignetError(`the front matter is not valid YAML: ${problem.message}`, {
          file,
          line: problem.line,
          column: problem.column,
          hint: 'Fix the YAML at that line: check the indentation, the colon after each key, and quotes around text containing ": ".',
        });
      }
      const value = yamlToData(document, counter, file, 'the front matter');
      if (value === null || value === undefined) return {};
      if (typeof value !== 'object' || Array.isArray(value)) {
        throw new SignetError('the front matter must be keys and values such as `title: Hello`', { file, line: 2, column: 1 });
      }
      return value;
    },
  };
  const split = splitSimpleFrontMatter(text);
  simple = split && parseSimpleYaml(split.matter);
  if (simple?.lines.size === 0) simple = undefined;
  // gray-matter would hand the same block to the engine, which would answer the same way.
  const parsed = split && simple
    ? { data: simple.data, content: split.content, matter: split.matter }
    : readWithGrayMatter(text, file, yamlEngine);
  // `matter` holds the lines between the fences (with the newline after the opening `---`); '' for
  // `---\n---`; gray-matter leaves it out for an empty file.
  const matterLines = countLines(parsed.matter ?? '');
  const bodyLine = opened ? matterLines + 2 : 1;
  const data = { ...(parsed.data as Record<string, unknown>) };
  const parsedDocument = document;
  const simpleLines = simple?.lines;
  return {
    data,
    body: parsed.content,
    bodyLine,
    lineOf(key) {
      if (simpleLines) return simpleLines.get(key);
      const contents = parsedDocument?.contents;
      if (!isMap(contents)) return undefined;
      const pair = contents.items.find((item) => isScalar(item.key) && item.key.value === key);
      const offset = (pair?.key as Node | undefined)?.range?.[0];
      return offset === undefined || !lineCounter ? undefined : lineCounter.linePos(offset).line;
    },
  };
}

/** `text.split('\n').length` without the array. */
function countLines(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

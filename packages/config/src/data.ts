import { LineCounter, parseDocument } from 'yaml';
import { SignetError } from './error.js';
import { describeYamlError, yamlToData } from './yaml.js';

/**
 * A site data file (`data/*.yaml`, `*.yml` or `*.json`) as plain data, read as safely as the config:
 * YAML 1.2's core schema (nothing guessed), bounded aliases. A syntax error names the file and line.
 */
export function parseDataFile(source: string, file: string): unknown {
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(source) as unknown;
    } catch (error) {
      throw new SignetError(`the data file is not valid JSON: ${(error as Error).message}`, { file, line: 1, hint: 'Fix the JSON syntax, or write the file as YAML (.yaml).' });
    }
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const problem = describeYamlError(document, lineCounter, first);
    throw new SignetError(`the data file is not valid YAML: ${problem.message}`, {
      file,
      line: problem.line,
      column: problem.column,
      hint: 'Fix the YAML syntax at that line (indentation, a missing colon or quote).',
    });
  }
  return yamlToData(document, lineCounter, file, 'the data file');
}

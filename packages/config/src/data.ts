import { SignetError } from './error.js';
import { parseYamlText, yamlToData } from './yaml.js';

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
  const { document, lineCounter } = parseYamlText(source, file, 'the data file', 'Fix the YAML syntax at that line (indentation, a missing colon or quote).');
  return yamlToData(document, lineCounter, file, 'the data file');
}

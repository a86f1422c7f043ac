import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { SignetError } from './error.js';
import { CONFIG_FILES, type SiteConfig } from './schema.js';
import { validateConfig, type Locate } from './validate.js';
import { parseYamlText, yamlToData } from './yaml.js';

/** The config file of a site folder, if it has one. */
export function findConfigFile(root: string): string | undefined {
  for (const name of CONFIG_FILES) {
    const candidate = path.join(root, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The config file of a site folder, or the one error every command gives outside a site folder (a
 * command that runs on, such as a dev server, checks this first instead of waiting for a site).
 */
export function requireConfigFile(root: string): string {
  const absoluteRoot = path.resolve(root);
  const file = findConfigFile(absoluteRoot);
  if (!file) {
    throw new SignetError(`no signet.config.yaml in ${absoluteRoot}`, {
      hint: 'Run `signet init` to start a site here, or run the command inside a site folder.',
    });
  }
  return file;
}

/** Reads, parses and validates `signet.config.*` in `root`. */
export function loadConfig(root: string): SiteConfig {
  const absoluteRoot = path.resolve(root);
  const file = requireConfigFile(absoluteRoot);
  const source = readFileSync(file, 'utf8');
  return parseConfig(source, absoluteRoot, file);
}

/** Parses config text (YAML, or JSON which is YAML too) and validates it. */
export function parseConfig(source: string, root: string, file: string): SiteConfig {
  const { document, lineCounter } = parseYamlText(source, file, 'the config', 'Fix the YAML syntax at that line (indentation, a missing colon or quote).');
  const data = yamlToData(document, lineCounter, file, 'the config');
  const locate: Locate = (keys) => {
    let node: unknown = document.contents;
    let found: Node | undefined;
    for (const key of keys) {
      // A list item (`['funding', '0', 'url']`): its own line, then its keys.
      if (isSeq(node) && /^\d+$/.test(key)) {
        node = node.items[Number(key)];
        if (node && (node as Node).range) found = node as Node;
        continue;
      }
      if (!isMap(node)) break;
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) break;
      found = pair.key as Node;
      node = pair.value;
    }
    const offset = found?.range?.[0];
    if (offset === undefined) return undefined;
    const position = lineCounter.linePos(offset);
    return { line: position.line, column: position.col };
  };
  return validateConfig(data, root, file, locate);
}

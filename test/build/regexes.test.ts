import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkSync } from 'recheck';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/site.js';

// Every package whose code runs on what a user, an archive or another server wrote: the build (config
// to site), the importer, the dev server, the verifier, the network, email and the command line.
const PACKAGES = ['config', 'content', 'markdown', 'theme', 'sign', 'keys', 'feeds', 'site', 'import-twitter', 'dev-server', 'verify', 'network', 'email', 'cli'];

// Files that make patterns at run time (recheck checks literals only), with why each is safe.
const BUILT = [
  // `name` is the account's user name, which read.ts accepts only as /^\w+$/; each repetition starts
  // with `@`, which `\s+` cannot take, so no two repetitions share a character.
  'import-twitter/src/render.ts',
  // Made from constant pieces of the BCP 47 grammar; no user text goes into the pattern (not checked
  // for backtracking here).
  'sign/src/language-tag.ts',
  'sign/src/language-tag.ts',
];

interface Found {
  where: string;
  source: string;
  flags: string;
}

function regexesIn(pkg: string): { literals: Found[]; built: [string, string][] } {
  const literals: Found[] = [];
  const built: [string, string][] = [];
  const dir = path.join(REPO, 'packages', pkg, 'src');
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts')) continue;
    const file = path.join(dir, name);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const where = (node: ts.Node) => `${pkg}/src/${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = node.getText();
        const end = text.lastIndexOf('/');
        literals.push({ where: where(node), source: text.slice(1, end), flags: text.slice(end + 1) });
      }
      if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && node.expression.getText() === 'RegExp') built.push([`${pkg}/src/${name}`, node.getText()]);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { literals, built };
}

/** recheck's verdict: 'safe' when no input makes the pattern take more than linear time. */
function verdict(source: string, flags: string): string {
  const result = checkSync(source, flags, { timeout: 60_000 });
  return result.status === 'vulnerable' ? `vulnerable (${result.complexity.summary}), e.g. ${result.attack.pattern}` : result.status;
}

describe('regular expressions run on user text', () => {
  it('the checker finds the patterns that hung a build', () => {
    // The tag-feed path check that took 7 s for `web accessibility test`, and a quadratic trim.
    expect(verdict('^(?:[A-Za-z0-9_~-]+\\/?)*$', '')).toMatch(/^vulnerable \(exponential\)/);
    expect(verdict('^-+|-+$', 'g')).toMatch(/^vulnerable \(2nd degree polynomial\)/);
  });

  it('none backtracks more than linearly, whatever the input', () => {
    const unsafe: string[] = [];
    const built: [string, string][] = [];
    let count = 0;
    for (const pkg of PACKAGES) {
      const found = regexesIn(pkg);
      built.push(...found.built);
      for (const { where, source, flags } of found.literals) {
        count += 1;
        const result = verdict(source, flags);
        if (result !== 'safe') unsafe.push(`${where} /${source}/${flags}: ${result}`);
      }
    }
    expect(count).toBeGreaterThan(50);
    expect(unsafe).toEqual([]);
    expect(built.map(([file]) => file).sort()).toEqual(BUILT.sort());
  });
});

// Loads the command line's bundle (dist/bundle/signet.cjs, made by scripts/bundle.mjs) with the V8
// code cache made when it was built: V8 then neither parses the bundle (1.7 MB) nor compiles the
// functions a build runs, which it otherwise does on every command (about 30 ms of a 1 s build). A
// cache V8 does not accept (another Node version, other V8 flags) is ignored, and the bundle compiles
// as it would without one.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/bundle/signet.cjs', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.cache`;
// Node's own CommonJS wrapper, which the bundle file holds: the function's first line is the file's,
// so stack traces keep its line numbers.
export const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';
export const WRAPPER_END = '\n})';

/** Runs the bundle as Node runs a CommonJS file, and returns its exports and the script (for its cache). */
export function loadBundle({ useCache = true } = {}) {
  let cachedData;
  if (useCache) {
    try {
      cachedData = readFileSync(CODE_CACHE);
    } catch {
      cachedData = undefined;
    }
  }
  // The bundle is ASCII (scripts/bundle.mjs escapes the rest): read as Latin-1, it becomes a one-byte
  // string without a pass to decode UTF-8.
  const source = readFileSync(BUNDLE, 'latin1');
  const script = new vm.Script(source, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { exports: module.exports, script };
}

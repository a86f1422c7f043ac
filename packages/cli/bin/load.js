// Loads the command line's bundle (dist/bundle/signet.cjs, made by scripts/bundle.mjs) with the V8
// code cache made when it was built (see load-script.cjs).
import { fileURLToPath } from 'node:url';
import loadScript from './load-script.cjs';

export const BUNDLE = fileURLToPath(new URL('../dist/bundle/signet.cjs', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.cache`;
// Node's own CommonJS wrapper, which the bundle file holds: the function's first line is the file's,
// so stack traces keep its line numbers.
export const WRAPPER_START = '(function (exports, require, module, __filename, __dirname) {';
export const WRAPPER_END = '\n})';

/** Runs the bundle as Node runs a CommonJS file, and returns its exports and the script (for its cache). */
export function loadBundle({ useCache = true } = {}) {
  return loadScript.runScript(BUNDLE, { useCache });
}
